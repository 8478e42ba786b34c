package dev.gantry.config;

import java.util.List;

/**
 * Single sign-on through an OpenID Connect provider. Off unless {@code --oidc-issuer} is set.
 *
 * @param externalUrl where browsers reach this node ({@code https://gantry.example.com}), or null to take
 *     the scheme, host and port the browser used from each request
 * @param adminGroup a user whose {@code groups}, {@code roles} or {@code realm_access.roles} claim holds it
 *     signs in as admin
 */
public record OidcConfig(String issuer, String clientId, String clientSecret, String externalUrl, String adminGroup,
    List<String> scopes) {

  public static final String DEFAULT_ADMIN_GROUP = "gantry-admins";
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

  public static OidcConfig disabled() {
    return new OidcConfig(null, null, null, null, DEFAULT_ADMIN_GROUP, DEFAULT_SCOPES);
  }

  public boolean enabled() {
    return issuer != null && !issuer.isBlank();
  }
}
