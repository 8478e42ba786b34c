package dev.gantry.testing;

import java.net.InetAddress;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider for tests (mock-oauth2-server, in this JVM, on 127.0.0.1): discovery,
 * authorization code with PKCE, signed ID tokens, end-session. With {@code interactiveLogin} its
 * authorize endpoint shows a login page that a browser test fills in: {@code input[name=username]} (becomes
 * the {@code sub}), {@code textarea[name=claims]} (optional JSON, e.g.
 * {@code {"preferred_username":"carol","groups":["gantry-admins"]}}) and a submit button; the page links a
 * web font that an offline browser simply fails to load. Without it, the next sign-in is answered at once
 * with whatever {@link #enqueueLogin} queued (or a default user).
 */
public final class TestOidcServer implements AutoCloseable {

  public static final String ISSUER_ID = "gantry";
  public static final String CLIENT_ID = "gantry-test";
  public static final String CLIENT_SECRET = "gantry-test-secret";

  private final MockOAuth2Server server;

  private TestOidcServer(MockOAuth2Server server) {
    this.server = server;
  }

  /** Starts on a free port. */
  public static TestOidcServer start(boolean interactiveLogin) {
    return start(interactiveLogin, Ports.free());
  }

  /** Starts on the given port (a test can point a node at it before it is up). */
  public static TestOidcServer start(boolean interactiveLogin, int port) {
    MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(interactiveLogin));
    server.start(InetAddress.getLoopbackAddress(), port);
    return new TestOidcServer(server);
  }

  /** The issuer URL of a server that will listen on {@code port}: {@code http://127.0.0.1:<port>/gantry}. */
  public static String issuerUrl(int port) {
    return "http://127.0.0.1:" + port + "/" + ISSUER_ID;
  }

  public String issuerUrl() {
    return issuerUrl(server.baseUrl().port());
  }

  /** The options that point a node at this provider, for {@code TestNodes.startWith(count, nodeArgs())}. */
  public String[] nodeArgs() {
    return nodeArgs(issuerUrl());
  }

  public static String[] nodeArgs(String issuerUrl) {
    return new String[] {"--oidc-issuer", issuerUrl, "--oidc-client-id", CLIENT_ID, "--oidc-client-secret", CLIENT_SECRET};
  }

  /**
   * The next token request (non-interactive) is answered for {@code subject} with these claims in its ID and access tokens,
   * e.g. {@code preferred_username}, {@code email}, {@code name}, {@code groups}. Queued callbacks are used
   * up by code exchanges, in order: enqueue one only for a sign-in that reaches the exchange.
   */
  public void enqueueLogin(String subject, Map<String, Object> claims) {
    server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", null, claims, 3600));
  }

  /** The underlying server, for what this wrapper does not cover. */
  public MockOAuth2Server server() {
    return server;
  }

  public void stop() {
    server.shutdown();
  }

  @Override
  public void close() {
    stop();
  }
}
