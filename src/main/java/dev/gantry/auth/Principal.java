package dev.gantry.auth;

import java.util.List;

/**
 * Who is calling: a signed-in user (session) or the owner of an API key. {@code keyId}, {@code scope}
 * and {@code allowedModels} are set only for API keys; {@code allowedModels} null means all.
 */
public record Principal(long userId, String username, String role, String keyId, String scope,
    List<String> allowedModels) {

  public static final String ADMIN = "admin";

  public static Principal session(long userId, String username, String role) {
    return new Principal(userId, username, role, null, null, null);
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
    return mayUseInference() && (allowedModels == null || allowedModels.contains(model));
  }
}
