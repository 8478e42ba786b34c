package dev.gantry.auth;

import dev.gantry.cluster.SharedMap;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The console's sessions, in the cluster map {@code gantry.sessions} so that every node accepts them. The
 * browser holds a random 256-bit id in the {@code gantry_session} cookie (HttpOnly, SameSite=Strict); the
 * map is keyed by the id's SHA-256, so reading the map gives nobody a session. A session ends at logout, after
 * {@link #IDLE_TIMEOUT} without use (the map's max-idle), or when its user's {@code sessions_valid_after}
 * passes its {@code issued_at}. Writes complete before the request answers: a new or ended session is
 * known to every node when the answer arrives.
 */
public final class ClusterSessions {

  public static final String COOKIE = "gantry_session";
  public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A session: whose it is, when it was issued (epoch ms), the ID token of a single sign-on (or null). */
  public record Session(String hash, long userId, long issuedAt, String idToken) {
  }

  private final SharedMap map;
  private final boolean secureCookie;
  private static final String ID_TOKEN = "gantry.sessions.id-token";
  private final SecretBox idTokens;

  /**
   * @param secureCookie whether the cookie gets {@code Secure} (the external URL is https)
   * @param secret seals the ID tokens kept for logout at the provider (AES-GCM), so the map shows none
   */
  public ClusterSessions(SharedMap map, boolean secureCookie, ClusterSecret secret) {
    this.map = map;
    this.secureCookie = secureCookie;
    this.idTokens = new SecretBox(secret);
  }

  public SharedMap map() {
    return map;
  }

  /**
   * Starts a new session for the user (ending the one the request carried, if any) and sets its cookie.
   * A sign-in never reuses an id a browser already had, so a planted id is worth nothing.
   */
  public Future<Session> start(RoutingContext ctx, long userId, long issuedAt, String idToken) {
    String raw = newId();
    Session session = new Session(hash(raw), userId, issuedAt, idToken);
    return end(ctx).compose(v -> write(session)).map(v -> {
      ctx.response().addCookie(cookie(raw, -1));
      return session;
    });
  }

  /** Re-stores a session with a new issue time (it then outlives a {@code sessions_valid_after} set to that time). */
  public Future<Void> reissue(Session session, long issuedAt) {
    return write(new Session(session.hash(), session.userId(), issuedAt, session.idToken()));
  }

  /** The session the request's cookie names; null when there is none (no cookie, unknown, ended or expired). */
  public Future<Session> find(RoutingContext ctx) {
    String raw = rawId(ctx);
    if (raw == null) {
      return Future.succeededFuture();
    }
    String hash = hash(raw);
    return map.get(hash).map(json -> json == null ? null : fromJson(hash, new JsonObject(json)));
  }

  /** Ends the session the request's cookie names, everywhere, and clears the cookie. */
  public Future<Void> end(RoutingContext ctx) {
    String raw = rawId(ctx);
    if (raw == null) {
      return Future.succeededFuture();
    }
    ctx.response().addCookie(cookie("", 0));
    return remove(hash(raw));
  }

  public Future<Void> remove(String hash) {
    return map.remove(hash).mapEmpty();
  }

  private Future<Void> write(Session session) {
    JsonObject json = new JsonObject().put("user_id", session.userId()).put("issued_at", session.issuedAt())
        .put("id_token", session.idToken() == null ? null : idTokens.seal(ID_TOKEN, session.idToken()));
    return map.setIdleExpiring(session.hash(), json.encode(), IDLE_TIMEOUT);
  }

  private Session fromJson(String hash, JsonObject json) {
    String sealed = json.getString("id_token");
    return new Session(hash, json.getLong("user_id"), json.getLong("issued_at"),
        sealed == null ? null : openIdToken(sealed));
  }

  /** The ID token, or null when it was sealed under another cluster secret (the session still works). */
  private String openIdToken(String sealed) {
    try {
      return idTokens.open(ID_TOKEN, sealed);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Cookie cookie(String value, long maxAge) {
    Cookie cookie = Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(secureCookie);
    return maxAge >= 0 ? cookie.setMaxAge(maxAge) : cookie;
  }

  private static String rawId(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What the map is keyed by: SHA-256 of the cookie value, hex. */
  public static String hash(String raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
