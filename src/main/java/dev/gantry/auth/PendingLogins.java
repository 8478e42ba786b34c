package dev.gantry.auth;

import dev.gantry.cluster.SharedMap;
import dev.gantry.common.RetryLater;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Single sign-ons that were started and not yet finished, keyed by their OAuth {@code state}, in a
 * cluster map: the provider may send the browser back to any node. Each can be taken once and expires
 * after {@link #LIFETIME}.
 */
final class PendingLogins {

  static final Duration LIFETIME = Duration.ofMinutes(10);
  /** Started sign-ins the cluster keeps at once: each costs a map entry until taken or expired. */
  static final int MAX_PENDING = 10_000;

  /** What the callback needs to finish a sign-in: PKCE verifier, nonce, the callback URL sent, where to go after. */
  record Pending(String verifier, String nonce, String callbackUrl, String returnTo) {

    JsonObject toJson() {
      return new JsonObject().put("verifier", verifier).put("nonce", nonce).put("callback_url", callbackUrl)
          .put("return_to", returnTo);
    }

    static Pending fromJson(JsonObject json) {
      return new Pending(json.getString("verifier"), json.getString("nonce"), json.getString("callback_url"),
          json.getString("return_to"));
    }
  }

  private final SharedMap map;

  /** @param map the cluster's {@code gantry.oidc-logins} */
  PendingLogins(SharedMap map) {
    this.map = map;
  }

  /** Keeps a started sign-in; 503 with Retry-After when {@link #MAX_PENDING} are already waiting. */
  Future<Void> put(String state, Pending pending) {
    return map.size().compose(size -> size >= MAX_PENDING
        ? Future.failedFuture(RetryLater.unavailable("too many single sign-ons are in progress (" + size
            + "); try again in a minute", 60))
        : map.set(state, pending.toJson().encode(), LIFETIME));
  }

  /** Removes and answers the sign-in started with this state; null when there is none (made up, used or expired). */
  Future<Pending> take(String state) {
    return map.remove(state).map(json -> json == null ? null : Pending.fromJson(new JsonObject(json)));
  }
}
