package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The rules of a hub model spec, and what admins and users see of its token. */
class HubSourcesTest {

  static JsonObject hf() {
    return new JsonObject().put("source", "huggingface").put("repo", "Qwen/Qwen2.5-0.5B-Instruct-GGUF")
        .put("file", "*q4_k_m.gguf").put("backend", "builtin");
  }

  @Test
  void aHubSpecWithRepoAndGgufFileIsAnLlmOnTheGivenBackend() {
    JsonObject spec = ModelSpecs.normalize(hf());

    assertThat(spec.getString("source")).isEqualTo("huggingface");
    assertThat(spec.getJsonArray("categories").getList()).containsExactly("llm");
  }

  @Test
  void badRepoRevisionFileOrEndpointIsRefusedSayingWhatIsExpected() {
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("repo", "no-owner"))).isInstanceOf(ApiException.class)
        .hasMessageContaining("owner/name");
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("repo", "a/../b"))).hasMessageContaining("owner/name");
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("revision", "../x"))).hasMessageContaining("revision");
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("file", "../etc/passwd"))).hasMessageContaining("file");
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("hub_endpoint", "file:///etc"))).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> ModelSpecs.normalize(hf().put("file", "*.safetensors")))
        .hasMessageContaining("serves GGUF files");
  }

  @Test
  void theSealedTokenIsNeverShownOnlyWhetherThereIsOne() {
    JsonObject stored = ModelSpecs.normalize(hf()).put("name", "m").put(HubSources.SEALED_TOKEN, "v1.sealed");

    assertThat(ModelSpecs.adminView(stored).containsKey(HubSources.SEALED_TOKEN)).isFalse();
    assertThat(ModelSpecs.adminView(stored).getBoolean("hub_token_set")).isTrue();
    assertThat(ModelSpecs.userView(stored).encode()).doesNotContain("sealed");
    assertThat(ModelSpecs.adminView(ModelSpecs.normalize(hf())).getBoolean("hub_token_set")).isFalse();
  }
}
