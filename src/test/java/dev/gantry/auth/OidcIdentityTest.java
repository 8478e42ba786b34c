package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("From ID token claims to a Gantry user")
class OidcIdentityTest {

  private static final String ADMINS = "gantry-admins";

  private static JsonObject claims() {
    return new JsonObject().put("sub", "s-1").put("preferred_username", "alice").put("email", "alice@example.com")
        .put("name", "Alice Admin");
  }

  @Test
  void takesPreferredUsernameThenEmailThenSubject() {
    assertThat(OidcIdentity.from(claims(), null, ADMINS).username()).isEqualTo("alice");
    assertThat(OidcIdentity.from(claims().put("preferred_username", " "), null, ADMINS).username()).isEqualTo("alice@example.com");
    assertThat(OidcIdentity.from(new JsonObject().put("sub", "s-1"), null, ADMINS).username()).isEqualTo("s-1");
  }

  @Test
  void buildsTheFullNameFromGivenAndFamilyNameWhenNameIsMissing() {
    JsonObject claims = new JsonObject().put("sub", "s").put("given_name", "Bob").put("family_name", "User");

    assertThat(OidcIdentity.from(claims, null, ADMINS).fullName()).isEqualTo("Bob User");
    assertThat(OidcIdentity.from(claims(), null, ADMINS).fullName()).isEqualTo("Alice Admin");
    assertThat(OidcIdentity.from(new JsonObject().put("sub", "s"), null, ADMINS).fullName()).isEmpty();
  }

  @Test
  void isAUserWithoutTheAdminGroup() {
    OidcIdentity identity = OidcIdentity.from(claims().put("groups", new JsonArray().add("staff")), null, ADMINS);

    assertThat(identity.role()).isEqualTo("user");
    assertThat(identity.subject()).isEqualTo("s-1");
    assertThat(identity.email()).isEqualTo("alice@example.com");
  }

  @Test
  void findsTheAdminGroupInGroupsRolesOrRealmRoles() {
    assertThat(OidcIdentity.from(claims().put("groups", new JsonArray().add("staff").add(ADMINS)), null, ADMINS).role())
        .isEqualTo("admin");
    assertThat(OidcIdentity.from(claims().put("groups", "/" + ADMINS), null, ADMINS).role()).isEqualTo("admin");
    assertThat(OidcIdentity.from(claims().put("roles", new JsonArray().add(ADMINS)), null, ADMINS).role()).isEqualTo("admin");
    JsonObject realm = new JsonObject().put("realm_access", new JsonObject().put("roles", new JsonArray().add(ADMINS)));
    assertThat(OidcIdentity.from(claims().mergeIn(realm), null, ADMINS).role()).isEqualTo("admin");
  }

  @Test
  void alsoReadsRolesFromTheAccessToken() {
    JsonObject access = new JsonObject().put("realm_access", new JsonObject().put("roles", new JsonArray().add(ADMINS)));

    assertThat(OidcIdentity.from(claims(), access, ADMINS).role()).isEqualTo("admin");
    assertThat(OidcIdentity.from(claims(), access, "other-group").role()).isEqualTo("user");
  }

  @Test
  void ignoresClaimsOfUnexpectedTypes() {
    JsonObject odd = claims().put("groups", 42).put("roles", new JsonArray().add(7).add(ADMINS)).put("realm_access", "x");

    assertThat(OidcIdentity.from(odd, null, ADMINS).role()).isEqualTo("admin");
    assertThat(OidcIdentity.from(claims().put("preferred_username", 5), null, ADMINS).username()).isEqualTo("alice@example.com");
  }

  @Test
  void refusesATokenWithoutSubject() {
    assertThatThrownBy(() -> OidcIdentity.from(new JsonObject().put("email", "x@example.com"), null, ADMINS))
        .hasMessageContaining("no 'sub' claim");
  }
}
