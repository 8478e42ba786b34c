package dev.gantry.auth;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A key can only make keys that are a subset of itself: no wider scope ({@code *} covers
 * {@code management} and {@code inference}), no model it may not use (a restricted key cannot make an
 * unrestricted one), no later expiry (and none at all only if it has none itself). Pure: the caller's key
 * and the requested key in, the reason for a refusal (or null) out.
 */
public final class KeySubset {

  /** The key making the request: its scope, allowed models (null: all) and expiry (null: never). */
  public record Limits(String scope, List<String> allowedModels, OffsetDateTime expiresAt) {
  }

  /** Why {@code wanted} is not within {@code caller}, in words a person can act on; null when it is. */
  public static String refusal(Limits caller, Limits wanted) {
    if (!"*".equals(caller.scope()) && !caller.scope().equals(wanted.scope())) {
      return "a key with scope '" + caller.scope() + "' can only create keys with scope '" + caller.scope()
          + "'; send \"scope\": \"" + caller.scope() + "\" or sign in to create wider keys";
    }
    if (caller.allowedModels() != null) {
      if (wanted.allowedModels() == null) {
        return "this key may only use the models " + caller.allowedModels()
            + ", so the keys it creates must list \"allowed_models\" among them too";
      }
      List<String> outside = wanted.allowedModels().stream().filter(m -> !caller.allowedModels().contains(m)).toList();
      if (!outside.isEmpty()) {
        return "this key may not use the models " + outside + ", so it cannot create a key for them; it may use "
            + caller.allowedModels();
      }
    }
    if (caller.expiresAt() != null) {
      if (wanted.expiresAt() == null) {
        return "this key expires at " + caller.expiresAt() + ", so the keys it creates need an \"expires_in\" that ends "
            + "no later";
      }
      if (wanted.expiresAt().isAfter(caller.expiresAt())) {
        return "this key expires at " + caller.expiresAt() + "; a key it creates cannot outlive it (asked for "
            + wanted.expiresAt() + ")";
      }
    }
    return null;
  }

  private KeySubset() {
  }
}
