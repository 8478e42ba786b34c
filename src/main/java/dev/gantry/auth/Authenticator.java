package dev.gantry.auth;

import dev.gantry.api.CallerStreams;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * Identifies the caller of every request before routing: from an {@code Authorization: Bearer gt-...}
 * API key (under {@code /v1} also from Anthropic's {@code x-api-key: gt-...} header, the same key) or the console session cookie (using only the cluster read model), and another node by its
 * {@link ClusterCaller} signature. It refuses nothing itself: it puts the {@link Principal} (or why there
 * is none) on the context, and each route's {@link Access} rule decides.
 */
public final class Authenticator implements Handler<RoutingContext> {

  public static final String PRINCIPAL = "principal";
  static final String SESSION = "session";
  /** The one URL a session whose password must change may use (besides logout). */
  static final String SELF = "/v2/users/me";
  private static final String FAILURE = "principal.failure";
  private static final String CLUSTER_CALLER = "principal.cluster";
  /** Anthropic's SDKs send the key in this header; accepted under {@code /v1} only. */
  static final String API_KEY_HEADER = "x-api-key";
  private static final String BAD_KEY = "invalid, expired or revoked API key";

  private final AccountDirectory directory;
  private final ClusterSessions sessions;
  private final LiveStreams streams;
  private final ClusterSecret clusterSecret;

  /** @param clusterSecret verifies requests from other nodes; null accepts none */
  public Authenticator(AccountDirectory directory, ClusterSessions sessions, LiveStreams streams,
      ClusterSecret clusterSecret) {
    this.directory = directory;
    this.sessions = sessions;
    this.streams = streams;
    this.clusterSecret = clusterSecret;
  }

  /** The signed-in user or key owner, or null for an anonymous caller (or one whose credentials failed). */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /** The session the caller signed in with; null for API keys. */
  static ClusterSessions.Session session(RoutingContext ctx) {
    return ctx.get(SESSION);
  }

  /** Why the caller is anonymous: a 401 that says what to do. */
  static ApiException failure(RoutingContext ctx) {
    Throwable failure = ctx.get(FAILURE);
    return failure instanceof ApiException api ? api : ApiException.unauthorized(
        "sign in at POST /auth/login or send an API key as 'Authorization: Bearer gt-...'");
  }

  /** Whether the request carries a valid signature of another node of this cluster. */
  public static boolean clusterCaller(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(CLUSTER_CALLER));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String signature = ctx.request().getHeader(ClusterCaller.HEADER);
    if (signature != null) {
      ctx.put(CLUSTER_CALLER, ClusterCaller.verify(clusterSecret, ctx.request().method().name(), ctx.request().uri(),
          signature, Instant.now().getEpochSecond()));
    }
    resolve(ctx).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(PRINCIPAL, result.result());
        ctx.put(CallerStreams.CONTEXT_KEY, streams.of(result.result(), session(ctx)));
      } else {
        ctx.put(FAILURE, result.cause());
      }
      ctx.next();
    });
  }

  private Future<Principal> resolve(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return fromKey(header.substring(7).strip());
    }
    String apiKey = ctx.request().getHeader(API_KEY_HEADER);
    if (header == null && apiKey != null && underV1(ctx)) {
      return fromKey(apiKey.strip());
    }
    if (ctx.request().getCookie(ClusterSessions.COOKIE) == null) {
      return Future.failedFuture(ApiException.unauthorized(
          "sign in at POST /auth/login or send an API key as 'Authorization: Bearer gt-...'"));
    }
    return sessions.find(ctx).compose(session -> session == null ? Future.failedFuture(ended())
        : directory.user(session.userId()).compose(user -> {
          if (user == null || !user.getBoolean("active", false) || session.issuedAt() < sessionsValidAfter(user)) {
            return sessions.remove(session.hash()).transform(v -> Future.failedFuture(ended()));
          }
          if (user.getBoolean("password_change_required", false) && !SELF.equals(ctx.request().path())) {
            return Future.failedFuture(ApiException.forbidden("choose a new password first: PATCH " + SELF
                + " with {\"current_password\": ..., \"password\": ...}; until then this session can do nothing else"));
          }
          ctx.put(SESSION, session);
          return Future.succeededFuture(Principal.session(user.getLong("id"), user.getString("username"),
              user.getString("role"), directory.entitlements().of(user, null)));
        }));
  }

  /** Whether the request's path, as routed ({@code /v1/../v2} is not), lies under {@code /v1/}. */
  private static boolean underV1(RoutingContext ctx) {
    try {
      return ctx.normalizedPath().startsWith("/v1/");
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static ApiException ended() {
    return ApiException.unauthorized("your session has ended; sign in again");
  }

  /** Sessions issued before this instant (epoch ms) are over; see {@code PgUserStore#endSessions}. */
  static long sessionsValidAfter(JsonObject user) {
    String after = user.getString("sessions_valid_after");
    return after == null ? Long.MIN_VALUE : Instant.parse(after).toEpochMilli();
  }

  private Future<Principal> fromKey(String value) {
    KeyPrincipals verified = directory.entitlements().keyPrincipals();
    Principal known = verified.get(value, System.currentTimeMillis());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    ApiKeySecrets.Parsed parsed = ApiKeySecrets.parse(value);
    if (parsed == null) {
      return Future.failedFuture(ApiException.unauthorized(BAD_KEY));
    }
    long generation = verified.generation();
    return directory.key(parsed.publicId()).compose(key -> {
      if (key == null || !ApiKeySecrets.matches(parsed.secret(), key.getString("secret_hash")) || expired(key)) {
        return Future.failedFuture(ApiException.unauthorized(BAD_KEY));
      }
      return directory.user(key.getLong("user_id")).compose(user -> {
        if (user == null || !user.getBoolean("active", false)) {
          return Future.failedFuture(ApiException.unauthorized("the owner of this API key is deactivated"));
        }
        JsonArray allowed = key.getJsonArray("allowed_models");
        List<String> models = allowed == null ? null : allowed.stream().map(String::valueOf).toList();
        Principal principal = new Principal(user.getLong("id"), user.getString("username"),
            user.getString("role"), key.getString("id"), key.getString("scope"), models,
            directory.entitlements().of(user, key));
        String expires = key.getString("expires_at");
        verified.put(value, principal, expires == null ? Long.MAX_VALUE : Instant.parse(expires).toEpochMilli(), generation);
        return Future.succeededFuture(principal);
      });
    });
  }

  private static boolean expired(JsonObject key) {
    String expires = key.getString("expires_at");
    return expires != null && Instant.parse(expires).isBefore(Instant.now());
  }
}
