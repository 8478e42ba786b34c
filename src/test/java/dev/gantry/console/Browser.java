package dev.gantry.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.NetworkInterceptor;
import org.openqa.selenium.remote.http.Contents;
import org.openqa.selenium.remote.http.HttpResponse;
import org.openqa.selenium.remote.http.Route;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its ChromeDriver (FACTS.md, "Browser tests"): a fresh
 * profile per browser, downloads into a temp folder, screenshots into {@code target/screenshots/}.
 * The helpers find elements by CSS and wait for them; nothing sleeps.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(15);

  private final String baseUrl;
  private final Path profile;
  private final Path downloads;
  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private NetworkInterceptor interceptor;

  private Browser(String baseUrl, int width, int height) {
    this.baseUrl = baseUrl;
    this.profile = TestFiles.tempDir("gantry-chromium-");
    this.downloads = TestFiles.tempDir("gantry-downloads-");
    this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withSilent(true).build();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    this.driver = new ChromeDriver(service, options);
  }

  /** Skips the calling test where Chromium is not installed (scripts/browser.sh installs it; CI runs that). */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "Chromium and chromium-driver are not installed; scripts/browser.sh installs them");
  }

  /** A laptop-sized browser on the console of the node at {@code baseUrl}. */
  static Browser open(String baseUrl) {
    return new Browser(baseUrl, 1280, 860);
  }

  void go(String hashRoute) {
    driver.get(baseUrl + "/" + hashRoute);
  }

  /** Changes the route the way a link does, without loading the page again. */
  void route(String hashRoute) {
    js("location.hash = arguments[0]", hashRoute);
  }

  WebElement await(String css) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  WebElement await(String css, Duration timeout) {
    return new WebDriverWait(driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /**
   * The visible element's attribute, read inside the wait: a page that rebuilds the element between
   * finding it and reading it (a watch event, a chart's refresh) makes that read stale, and the wait
   * then finds it again.
   */
  String attribute(String css, String name) {
    return read(css, element -> element.getAttribute(name));
  }

  /** The visible element's text, read inside the wait like {@link #attribute}. */
  String text(String css) {
    return read(css, WebElement::getText);
  }

  private String read(String css, Function<WebElement, String> reader) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement element = ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)).apply(d);
      return element == null ? null : Objects.requireNonNullElse(reader.apply(element), "");
    });
  }

  /** Waits until the element's text contains {@code text}; answers its whole text. */
  String awaitText(String css, String text, Duration timeout) {
    // the text is read inside the wait: a page that re-renders the element between a check and a
    // second read would make that read stale
    return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(d -> {
      String shown = d.findElement(By.cssSelector(css)).getText();
      return shown.contains(text) ? shown : null;
    });
  }

  /** Waits until the script answers true. */
  void awaitTrue(String script, Duration timeout) {
    new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(js(script)));
  }

  /** Waits until the script answers true, running {@code eachSecond} before every check (to make traffic, say). */
  void awaitTrue(String script, Duration timeout, Runnable eachSecond) {
    new WebDriverWait(driver, timeout).pollingEvery(Duration.ofSeconds(1)).until(d -> {
      eachSecond.run();
      return Boolean.TRUE.equals(js(script));
    });
  }

  void awaitGone(String css) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void type(String css, String text) {
    act(css, field -> {
      field.clear();
      field.sendKeys(text);
    });
  }

  void click(String css) {
    act(css, WebElement::click);
  }

  void select(String css, String value) {
    act(css, field -> new Select(field).selectByValue(value));
  }

  /**
   * Finds a visible, enabled element and acts on it; starts over when a live list replaced the
   * element meanwhile (the pages rebuild parts of themselves as watch events arrive).
   */
  private void act(String css, Consumer<WebElement> action) {
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement element = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
      if (element == null) {
        return false;
      }
      action.accept(element);
      return true;
    });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /**
   * Answers requests for {@code path} in the browser itself, before they reach the node (Chrome
   * DevTools request interception): for states a live node rarely shows, such as an identity
   * provider that has not answered yet.
   */
  void answer(String path, int status, String json) {
    interceptor = new NetworkInterceptor(driver, Route.matching(request -> URI.create(request.getUri()).getPath().equals(path))
        .to(() -> request -> new HttpResponse().setStatus(status).addHeader("Content-Type", "application/json")
            .setContent(Contents.utf8String(json))));
  }

  /** The HttpOnly session cookie (readable by the driver, never by the page). */
  String sessionCookie() {
    Cookie cookie = driver.manage().getCookieNamed("gantry_session");
    return cookie == null ? null : cookie.getName() + "=" + cookie.getValue();
  }

  /** Signs in through the local form and waits for the console's shell. */
  void signIn(String username, String password) {
    await("#username");
    type("#username", username);
    type("#password", password);
    click(".login-form button[type=submit]");
    await("[data-test=sign-out]");
  }

  /**
   * Single sign-on from the login page: clicks the SSO button, fills in the identity provider's login
   * page (mock-oauth2-server's interactive page: the subject in {@code username}, the ID token's claims
   * as JSON in {@code claims}) and waits until the console is back, signed in.
   */
  void signInThroughSso(String subject, String claimsJson) {
    click("[data-test=sso-login]");
    type("input[name=username]", subject);
    type("textarea[name=claims]", claimsJson);
    click("[type=submit]");
    await("[data-test=sign-out]");
  }

  /** A file the browser downloaded, once it is complete. */
  Path awaitDownload(String name) {
    Path file = downloads.resolve(name);
    new WebDriverWait(driver, WAIT).until(d -> Files.exists(file));
    return file;
  }

  /** Saves the window as {@code target/screenshots/<name>.png}; answers the file. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #screenshot}, with the window made as tall as the page first (then as before). */
  Path screenshotWholePage(String name) {
    Dimension before = driver.manage().window().getSize();
    long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
    long chrome = ((Number) js("return window.outerHeight - window.innerHeight")).longValue();
    driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(4000, height + chrome)));
    try {
      return screenshot(name);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Override
  public void close() {
    try {
      if (interceptor != null) {
        interceptor.close();
      }
      driver.quit();
    } finally {
      service.stop();
      TestFiles.deleteRecursively(profile);
      TestFiles.deleteRecursively(downloads);
    }
  }
}
