package dev.gantry.auth;

import java.util.List;

/**
 * Who is calling: a signed-in user (session) or the owner of an API key. {@code keyId}, {@code scope}
 * and {@code allowedModels} are set only for API keys; {@code allowedModels} null means all.
 * {@code entitlement} is what the user's own and its groups' grants allow and the limits that apply (null:
 * everything, no limits); a key narrows it with its own {@code allowedModels}.
 */
public record Principal(long userId, String username, String role, String keyId, String scope,
    List<String> allowedModels, Entitlement entitlement) {

  public Principal(long userId, String username, String role, String keyId, String scope, List<String> allowedModels) {
    this(userId, username, role, keyId, scope, allowedModels, null);
  }

  public static final String ADMIN = "admin";

  public static Principal session(long userId, String username, String role) {
    return new Principal(userId, username, role, null, null, null, null);
  }

  public static Principal session(long userId, String username, String role, Entitlement entitlement) {
    return new Principal(userId, username, role, null, null, null, entitlement);
  }

  public boolean admin() {
    return ADMIN.equals(role);
  }

  public boolean viaApiKey() {
    return keyId != null;
  }

  /** Whether this caller may use the management API (/v2): sessions always; keys with scope management or *. */
  public boolean mayManage() {
    return !viaApiKey() || "management".equals(scope) || "*".equals(scope);
  }

  /** Whether this caller may use the OpenAI-compatible API (/v1) at all: sessions always; keys with scope inference or *. */
  public boolean mayUseInference() {
    return !viaApiKey() || "inference".equals(scope) || "*".equals(scope);
  }

  /** Whether this caller may call the gateway (/v1) for the given model name. */
  public boolean mayInfer(String model) {
    return mayUseInference() && (allowedModels == null || allowedModels.contains(model))
        && (entitlement == null || entitlement.allows(model));
  }
}
