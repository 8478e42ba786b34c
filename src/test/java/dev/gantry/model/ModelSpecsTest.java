package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ModelSpecsTest {

  @Test
  void theBundledEmbeddingModelNeedsOnlyItsName() {
    JsonObject spec = ModelSpecs.normalize(new JsonObject().put("name", "minilm").put("builtin_model", "all-minilm-l6-v2"));
    assertThat(spec.getString("source")).isEqualTo("builtin");
    assertThat(spec.getString("backend")).isEqualTo("builtin");
    assertThat(spec.getInteger("replicas")).isEqualTo(1);
    assertThat(spec.getJsonArray("categories").getList()).containsExactly("embedding");
    assertThat(spec.containsKey("name")).isFalse();
  }

  @Test
  void eachBundledModelGetsItsOwnCategory() {
    JsonObject chat = ModelSpecs.normalize(new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat"));
    JsonObject embeddings = ModelSpecs.normalize(new JsonObject().put("builtin_model", "all-minilm-l6-v2"));
    JsonObject chosen = ModelSpecs.normalize(new JsonObject().put("builtin_model", "gantry-tiny-chat")
        .put("categories", new io.vertx.core.json.JsonArray().add("embedding")));

    assertThat(chat.getJsonArray("categories").getList()).containsExactly("llm");
    assertThat(chat.getString("backend")).isEqualTo("builtin");
    assertThat(embeddings.getJsonArray("categories").getList()).containsExactly("embedding");
    assertThat(chosen.getJsonArray("categories").getList()).containsExactly("embedding");
  }

  @Test
  void anUnknownBundledModelIsRefusedWithTheListOfIds() {
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("builtin_model", "bert")))
        .hasMessage("builtin_model must be one of: all-minilm-l6-v2, gantry-tiny-chat; got 'bert'");
  }

  @Test
  void aGgufFileDefaultsToAnLlm() {
    JsonObject spec = ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.gguf").put("backend", "llama.cpp"));
    assertThat(spec.getJsonArray("categories").getList()).containsExactly("llm");
    assertThat(spec.getString("placement_strategy")).isEqualTo("spread");
  }

  @Test
  void rejectsCombinationsThatCannotRunWithAnActionableMessage() {
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("source", "builtin")))
        .hasMessageContaining("needs 'builtin_model'");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("builtin_model", "all-minilm-l6-v2").put("backend", "llama.cpp")))
        .hasMessageContaining("runs on backend 'builtin'");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("backend", "llama.cpp")))
        .hasMessageContaining("needs 'local_path'");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "models/q.gguf")))
        .hasMessageContaining("must be absolute");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.bin").put("backend", "llama.cpp")))
        .hasMessageContaining("must end in .gguf");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.bin").put("backend", "custom")))
        .hasMessageContaining("needs 'run_command'");
  }

  @Test
  void aCommandThatWouldPutTheEngineKeyOnItsCommandLineIsRefused() {
    for (String command : new String[] {"srv --port {{port}} --api-key {{api_key}}", "srv --key={{ api_key }}"}) {
      assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.bin")
          .put("backend", "custom").put("run_command", command)))
          .isInstanceOfSatisfying(dev.gantry.common.ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessageContaining("{{api_key}}").hasMessageContaining("GANTRY_API_KEY");
    }
    assertThat(ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.bin").put("backend", "custom")
        .put("run_command", "srv --port {{port}}")).getString("run_command")).isEqualTo("srv --port {{port}}");
  }

  @Test
  void explicitDevicesImplyHowManyAReplicaUses() {
    JsonObject spec = ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.gguf")
        .put("device_ids", new io.vertx.core.json.JsonArray().add("n1:cuda:0").add("n1:cuda:1")));
    assertThat(spec.getInteger("devices_per_replica")).isEqualTo(2);
  }

  @Test
  void gpuEnginesAreBackendsWhoseOptionsAreCheckedForTheNamedVersion() {
    JsonObject vllm = ModelSpecs.normalize(new JsonObject().put("local_path", "/models/qwen").put("backend", "vllm")
        .put("backend_version", "0.8.2").put("backend_parameters", new io.vertx.core.json.JsonArray().add("--speculative-model=/d")));
    assertThat(vllm.getString("backend")).isEqualTo("vllm");
    assertThatThrownBy(() -> ModelSpecs.normalize(vllm.copy().put("backend_version", "0.9.0")))
        .hasMessageContaining("--speculative-model was removed in vllm 0.8.3").hasMessageContaining("chosen version 0.9.0");
    assertThatThrownBy(() -> ModelSpecs.normalize(vllm.copy().put("backend_version", "newest")))
        .hasMessageContaining("backend_version 'newest' is not a version");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.gguf").put("backend", "llama.cpp")
        .put("backend_parameters", new io.vertx.core.json.JsonArray().add("--api-key-file").add("/tmp/k"))))
        .hasMessageContaining("may not set --api-key-file for backend 'llama.cpp'");
  }

  @Test
  void aModelMayBePinnedToOneOfTheEightVendors() {
    JsonObject spec = ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.gguf").put("backend", "llama.cpp")
        .put("device_vendor", "ascend").put("devices_per_replica", 1));
    assertThat(spec.getString("device_vendor")).isEqualTo("ascend");
    assertThatThrownBy(() -> ModelSpecs.normalize(new JsonObject().put("local_path", "/m/q.gguf")
        .put("device_vendor", "intel")))
        .hasMessage("device_vendor must be one of: nvidia, amd, ascend, hygon, mthreads, iluvatar, metax, cambricon;"
            + " got 'intel'");
  }
}
