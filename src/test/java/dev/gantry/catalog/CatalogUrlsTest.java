package dev.gantry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Catalog files at URLs, served by a local HTTP server whose answer the test changes. */
@DisplayName("Catalog URLs: fetched at start and periodically, validated, the last good copy kept when a fetch fails")
class CatalogUrlsTest {

  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>();

  @BeforeEach
  void serve() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/catalog.json")) {
        request.response().setStatusCode(status.get()).end(body.get());
      } else {
        request.response().setStatusCode(404).end("no such file");
      }
    }).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("a good file joins the catalog; a failure or a bad file keeps the last good copy and is reported")
  void failuresKeepTheLastGoodCopy() {
    body.set(catalogWith("from-url"));
    CatalogUrls urls = new CatalogUrls(vertx, List.of(url("/catalog.json"), url("/missing.json")), Duration.ofHours(1));
    urls.start().await();
    Catalog catalog = new Catalog(null, urls);

    Catalog.Loaded first = catalog.load();
    assertThat(names(first)).contains("from-url", "gantry-tiny-chat");
    assertThat(source(first, "/catalog.json").getInteger("families")).isEqualTo(1);
    assertThat(source(first, "/catalog.json").containsKey("error")).isFalse();
    assertThat(source(first, "/missing.json").getString("error")).isEqualTo("HTTP 404");

    status.set(500);
    urls.fetchAll().await();
    Catalog.Loaded unreachable = catalog.load();
    assertThat(names(unreachable)).contains("from-url");
    assertThat(source(unreachable, "/catalog.json").getString("error")).startsWith("HTTP 500").contains("is used");

    status.set(200);
    body.set("{\"families\": [{\"name\": \"broken\"}]}");
    urls.fetchAll().await();
    Catalog.Loaded invalid = catalog.load();
    assertThat(names(invalid)).contains("from-url").doesNotContain("broken");
    assertThat(source(invalid, "/catalog.json").getString("error")).contains("not a valid catalog file").contains("has no specs");

    body.set(catalogWith("fixed"));
    urls.fetchAll().await();
    Catalog.Loaded fixed = catalog.load();
    assertThat(names(fixed)).contains("fixed").doesNotContain("from-url");
    assertThat(source(fixed, "/catalog.json").containsKey("error")).isFalse();
  }

  @Test
  @DisplayName("the file is fetched again every refresh period")
  void refreshesPeriodically() {
    body.set(catalogWith("version-one"));
    CatalogUrls urls = new CatalogUrls(vertx, List.of(url("/catalog.json")), Duration.ofSeconds(1));
    urls.start().await();
    Catalog catalog = new Catalog(null, urls);
    assertThat(names(catalog.load())).contains("version-one");

    body.set(catalogWith("version-two"));

    Eventually.await(Duration.ofSeconds(20), () -> assertThat(names(catalog.load())).contains("version-two")
        .doesNotContain("version-one"));
  }

  @Test
  @DisplayName("fetches asked for from a thread outside Vert.x always complete (a response's body was once lost that way)")
  void fetchesFromOutsideVertxComplete() throws Exception {
    body.set(catalogWith("steady"));
    CatalogUrls urls = new CatalogUrls(vertx, List.of(url("/catalog.json"), url("/missing.json")), Duration.ofHours(1));
    urls.start().await();
    for (int i = 0; i < 2000; i++) {
      status.set(i % 3 == 0 ? 500 : 200);
      urls.fetchAll().await(10, TimeUnit.SECONDS);
    }
    status.set(200);
    urls.fetchAll().await(10, TimeUnit.SECONDS);
    Catalog.Loaded loaded = new Catalog(null, urls).load();
    assertThat(names(loaded)).contains("steady");
    assertThat(source(loaded, "/catalog.json").containsKey("error")).isFalse();
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private static String catalogWith(String family) {
    return new JsonObject().put("families", new JsonArray().add(new JsonObject().put("name", family)
        .put("specs", new JsonArray().add(new JsonObject().put("id", family + "-cpu").put("hardware", new JsonObject().put("vendor", "cpu"))
            .put("model", new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat").put("backend", "builtin"))))))
        .encode();
  }

  private static List<String> names(Catalog.Loaded loaded) {
    return loaded.families().stream().map(CatalogFamily::name).toList();
  }

  private JsonObject source(Catalog.Loaded loaded, String path) {
    return loaded.sources().stream().map(JsonObject.class::cast).filter(s -> s.getString("source").equals(url(path).toString()))
        .findFirst().orElseThrow();
  }
}
