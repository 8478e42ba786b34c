package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.SecretBox;
import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSpecsTest {

  private final SecretBox box = new SecretBox(ClusterSecret.of(ClusterSecret.generate()));

  private static JsonObject provider() {
    return new JsonObject().put("name", "deepseek").put("kind", "openai").put("base_url", "https://api.deepseek.com/v1")
        .put("credentials", new JsonArray().add("sk-first-secret").add("sk-second-secret"))
        .put("models", new JsonArray().add("deepseek-chat"));
  }

  @Test
  void credentialsAreStoredSealedAndShownOnlyAsCountAndFingerprints() {
    JsonObject stored = ProviderSpecs.normalize(provider(), box);
    assertThat(stored.encode()).doesNotContain("sk-first-secret", "sk-second-secret");
    assertThat(stored.getJsonArray(ProviderSpecs.SEALED)).hasSize(2);
    JsonObject view = ProviderSpecs.publicView(stored.put("id", 1));
    assertThat(view.encode()).doesNotContain("sk-first", "sk-second", "v1.");
    assertThat(view.getInteger("credential_count")).isEqualTo(2);
    assertThat(view.getJsonArray("credential_fingerprints")).containsExactly(
        ProviderSpecs.fingerprint("sk-first-secret"), ProviderSpecs.fingerprint("sk-second-secret"));
    Provider decoded = Provider.from(stored);
    assertThat(decoded.sealedCredentials().stream().map(s -> box.open(Provider.sealPurpose("deepseek"), s)))
        .containsExactly("sk-first-secret", "sk-second-secret");
  }

  @Test
  void aChangeWithoutCredentialsKeepsTheSealedOnes() {
    JsonObject stored = ProviderSpecs.normalize(provider(), box);
    JsonObject changed = ProviderSpecs.normalize(stored.copy().mergeIn(new JsonObject().put("timeout_ms", 5000)), box);
    assertThat(changed.getJsonArray(ProviderSpecs.SEALED)).isEqualTo(stored.getJsonArray(ProviderSpecs.SEALED));
    assertThat(changed.getLong("timeout_ms")).isEqualTo(5000);
  }

  @Test
  void badFieldsAreNamed() {
    assertThat(field(provider().put("base_url", "ftp://x"))).isEqualTo("base_url");
    assertThat(field(provider().put("base_url", "not a url"))).isEqualTo("base_url");
    assertThat(field(provider().put("kind", "azure"))).isEqualTo("api_version");
    assertThat(field(provider().put("headers", new JsonObject().put("Authorization", "x")))).isEqualTo("headers");
  }

  @Test
  void routeChecksNameTheFieldAtFault() {
    Provider deepseek = Provider.from(ProviderSpecs.normalize(provider(), box));
    Map<String, Provider> providers = Map.of("deepseek", deepseek);
    JsonObject ok = route(new JsonObject().put("model", "qwen").put("weight", 1));
    assertThat(RouteSpecs.normalize(ok, "qwen"::equals, providers::get).getJsonObject("fallback_on")
        .getBoolean("server_error")).isTrue();
    assertThat(routeField(route(new JsonObject().put("model", "nope")), providers)).isEqualTo("targets[0].model");
    assertThat(routeField(route(new JsonObject().put("model", new JsonObject().put("provider", "other")
        .put("model", "m"))), providers)).isEqualTo("targets[0].model.provider");
    assertThat(routeField(route(new JsonObject().put("model", new JsonObject().put("provider", "deepseek")
        .put("model", "gpt-4o"))), providers)).isEqualTo("targets[0].model.model");
    assertThat(routeField(route(new JsonObject().put("model", "qwen").put("weight", 0)), providers)).isEqualTo("targets");
    assertThat(routeField(new JsonObject().put("name", "r").put("targets", new JsonArray()), providers)).isEqualTo("targets");
  }

  private static JsonObject route(JsonObject target) {
    return new JsonObject().put("name", "r").put("targets", new JsonArray().add(target));
  }

  private static String routeField(JsonObject route, Map<String, Provider> providers) {
    try {
      RouteSpecs.normalize(route, "qwen"::equals, providers::get);
      throw new AssertionError("accepted " + route.encode());
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.param();
    }
  }

  private String field(JsonObject body) {
    assertThatThrownBy(() -> ProviderSpecs.normalize(body, box)).isInstanceOf(ApiException.class);
    try {
      ProviderSpecs.normalize(body, box);
      return null;
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.param();
    }
  }
}
