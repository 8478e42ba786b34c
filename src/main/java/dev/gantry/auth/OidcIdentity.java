package dev.gantry.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who an OpenID Connect provider says a user is, and the Gantry role that follows from the claims.
 *
 * @param subject the provider's stable id of the user ({@code sub})
 * @param username {@code preferred_username}, else {@code email}, else {@code sub}
 * @param role {@code admin} when the admin group appears in {@code groups}, {@code roles} or
 *     {@code realm_access.roles} of the ID token or the access token; else {@code user}
 */
public record OidcIdentity(String subject, String username, String fullName, String email, String role) {

  /**
   * @param idToken the verified ID token's claims
   * @param accessToken the access token's claims when it is a JWT (some providers put roles only there), or null
   */
  public static OidcIdentity from(JsonObject idToken, JsonObject accessToken, String adminGroup) {
    String subject = text(idToken, "sub");
    if (subject == null) {
      throw new IllegalArgumentException("the identity provider's ID token has no 'sub' claim");
    }
    String email = text(idToken, "email");
    String username = Stream.of(text(idToken, "preferred_username"), email, subject)
        .filter(value -> value != null).findFirst().get();
    String given = text(idToken, "given_name");
    String family = text(idToken, "family_name");
    String fullName = text(idToken, "name") != null ? text(idToken, "name")
        : String.join(" ", Stream.of(given, family).filter(value -> value != null).toList());
    Set<String> groups = groups(idToken);
    if (accessToken != null) {
      groups.addAll(groups(accessToken));
    }
    boolean admin = adminGroup != null && (groups.contains(adminGroup) || groups.contains("/" + adminGroup));
    return new OidcIdentity(subject, username, fullName, email, admin ? "admin" : "user");
  }

  /** The values of {@code groups}, {@code roles} and {@code realm_access.roles}, each a list or a single string. */
  static Set<String> groups(JsonObject claims) {
    Set<String> out = new LinkedHashSet<>();
    addValues(out, claims.getValue("groups"));
    addValues(out, claims.getValue("roles"));
    if (claims.getValue("realm_access") instanceof JsonObject realm) {
      addValues(out, realm.getValue("roles"));
    }
    return out;
  }

  private static void addValues(Set<String> out, Object claim) {
    if (claim instanceof String single) {
      out.add(single);
    } else if (claim instanceof JsonArray list) {
      list.forEach(value -> {
        if (value instanceof String name) {
          out.add(name);
        }
      });
    }
  }

  private static String text(JsonObject claims, String name) {
    return claims.getValue(name) instanceof String value && !value.isBlank() ? value.strip() : null;
  }
}
