package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The {@code speculative} and {@code kv_cache} fields of a model spec: what is refused with a 400, and why. */
class ModelTuningSpecTest {

  private static JsonObject model(String backend, String version) {
    JsonObject spec = new JsonObject().put("name", "m").put("backend", backend)
        .put("local_path", "llama.cpp".equals(backend) ? "/models/m.gguf" : "/models/m");
    return version == null ? spec : spec.put("backend_version", version);
  }

  private static void refused(JsonObject spec, String message) {
    assertThatThrownBy(() -> ModelSpecs.normalize(spec)).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400)).hasMessageContaining(message);
  }

  @Test
  void aSupportedAlgorithmAndKvCacheAreKeptAsGiven() {
    JsonObject spec = ModelSpecs.normalize(model("vllm", "0.11.2").put("speculative", new JsonObject()
        .put("algorithm", "eagle3").put("draft_model", "/models/eagle3")).put("kv_cache", new JsonObject()
        .put("host_memory_gib", 8)));
    assertThat(spec.getJsonObject("speculative").getString("algorithm")).isEqualTo("eagle3");
    assertThat(ModelSpecs.userView(spec).containsKey("speculative")).as("draft paths are for admins").isFalse();
  }

  @Test
  void anAlgorithmTheChosenVersionLacksIsRefusedNamingAlgorithmBackendAndVersion() {
    refused(model("vllm", "0.8.2").put("speculative", new JsonObject().put("algorithm", "eagle3")
        .put("draft_model", "/d")), "speculative algorithm 'eagle3' needs vllm >= 0.8.5; the chosen version is 0.8.2");
    refused(model("llama.cpp", null).put("speculative", new JsonObject().put("algorithm", "mtp")),
        "backend 'llama.cpp' cannot do speculative algorithm 'mtp' (it can: draft_model, ngram)");
    refused(model("mindie", "2.3.0").put("speculative", new JsonObject().put("algorithm", "ngram")),
        "backend 'mindie' cannot do speculative algorithm 'ngram' (it can: mtp)");
    refused(model("llama.cpp", null).put("speculative", new JsonObject().put("algorithm", "draft_model")
        .put("draft_model", "/models/draft.safetensors")), "speculative.draft_model must end in .gguf");
    refused(new JsonObject().put("name", "b").put("builtin_model", "gantry-tiny-chat").put("speculative",
        new JsonObject().put("algorithm", "ngram")), "backend 'builtin' has no speculative decoding");
  }

  @Test
  void fieldsThatDoNotGoTogetherAreRefused() {
    refused(model("vllm", null).put("speculative", new JsonObject().put("algorithm", "draft_model")),
        "needs speculative.draft_model");
    refused(model("vllm", null).put("speculative", new JsonObject().put("algorithm", "ngram").put("ngram_min", 5)
        .put("ngram_max", 2)), "ngram_min <= ngram_max");
    refused(model("vllm", null).put("speculative", new JsonObject().put("algorithm", "draft_model")
        .put("draft_model", "relative.gguf")), "must be an absolute path");
    refused(model("vllm", null).put("speculative", new JsonObject().put("algorithm", "ngram"))
        .put("backend_parameters", new JsonArray().add("--speculative-config={}")),
        "backend_parameters set --speculative-config and the model has 'speculative'");
  }

  @Test
  void kvCacheNeedsExactlyOnePositiveHostMemory() {
    refused(model("vllm", null).put("kv_cache", new JsonObject().put("host_memory_gib", 4).put("host_memory_ratio", 1)),
        "give host_memory_gib or host_memory_ratio, not both");
    refused(model("vllm", null).put("kv_cache", new JsonObject().put("host_memory_gib", -4)),
        "host_memory_gib must be above 0");
    refused(model("vllm", null).put("kv_cache", new JsonObject().put("chunk_size", 256)), "kv_cache needs host_memory_gib");
    refused(model("mindie", null).put("kv_cache", new JsonObject().put("host_memory_gib", 4).put("chunk_size", 64)),
        "backend 'mindie' cannot do kv_cache.chunk_size");
    refused(model("sglang", null).put("kv_cache", new JsonObject().put("host_memory_ratio", 2))
        .put("backend_parameters", new JsonArray().add("--disable-radix-cache")), "remove --disable-radix-cache");
  }
}
