package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {

  private static LaunchSpec spec(JsonObject model, List<Integer> gpus) {
    return new LaunchSpec(model.put("name", "qwen"), "inst1", "127.0.0.1", 40001, "s3cret", gpus, "/jdk/bin/java",
        "/opt/gantry.jar", "/usr/local/bin/llama-server");
  }

  @Test
  void llamaCppServesTheFileOnTheGivenPortWithTheSecretAndMetrics() {
    EngineCommand command = Backends.command(spec(new JsonObject().put("backend", "llama.cpp")
        .put("local_path", "/models/q.gguf").put("backend_parameters", new JsonArray().add("--ctx-size").add("4096")), List.of()));
    assertThat(command.argv()).containsExactly("/usr/local/bin/llama-server", "--model", "/models/q.gguf",
        "--host", "127.0.0.1", "--port", "40001", "--alias", "qwen", "--metrics",
        "--n-gpu-layers", "0", "--ctx-size", "4096");
    assertThat(command.env()).containsEntry("LLAMA_API_KEY", "s3cret");
    assertThat(String.join(" ", command.argv())).doesNotContain("s3cret");
    assertThat(command.healthPath()).isEqualTo("/health");
  }

  @Test
  void llamaCppEmbeddingModelsGetEmbeddingsAndMeanPooling() {
    EngineCommand command = Backends.command(spec(new JsonObject().put("backend", "llama.cpp")
        .put("local_path", "/m/e.gguf").put("categories", new JsonArray().add("embedding")), List.of(0)));
    assertThat(command.argv()).containsSequence("--embeddings", "--pooling", "mean").doesNotContain("--n-gpu-layers");
    assertThat(command.env()).containsEntry("CUDA_VISIBLE_DEVICES", "0");
  }

  @Test
  void llamaCppRerankerModelsServeRerankingInsteadOfMeanPooledEmbeddings() {
    EngineCommand command = Backends.command(spec(new JsonObject().put("backend", "llama.cpp")
        .put("local_path", "/m/r.gguf").put("categories", new JsonArray().add("reranker").add("embedding")), List.of()));
    assertThat(command.argv()).contains("--reranking").doesNotContain("--pooling", "--embeddings");
    EngineCommand given = Backends.command(spec(new JsonObject().put("backend", "llama.cpp").put("local_path", "/m/r.gguf")
        .put("categories", new JsonArray().add("reranker")).put("backend_parameters", new JsonArray().add("--rerank")),
        List.of()));
    assertThat(given.argv()).doesNotContain("--reranking").contains("--rerank");
  }

  @Test
  void builtinRunsAChildJvmFromGantrysOwnClasspath() {
    EngineCommand command = Backends.command(spec(new JsonObject().put("backend", "builtin").put("source", "builtin")
        .put("builtin_model", "all-minilm-l6-v2"), List.of()));
    assertThat(command.argv()).startsWith("/jdk/bin/java").contains("-cp", "/opt/gantry.jar", Backends.BUILTIN_MAIN)
        .containsSequence("--model", "builtin:all-minilm-l6-v2")
        .containsSequence("--port", "40001").contains("-Dgantry.instance=inst1").doesNotContain("s3cret");
    assertThat(command.env()).containsEntry("GANTRY_API_KEY", "s3cret");
  }

  @Test
  void customFillsEveryPlaceholderAndPassesEnvironment() {
    JsonObject model = new JsonObject().put("backend", "custom").put("local_path", "/m/x.bin")
        .put("run_command", "my-server --model {{model_path}} --bind '{{host}}:{{port}}' --name {{model_name}} --gpus {{gpu_ids}} -n {{gpu_count}}")
        .put("env", new JsonObject().put("MODE", "fast")).put("health_path", "/ready");
    EngineCommand command = Backends.command(spec(model, List.of(1, 3)));
    assertThat(command.argv()).containsExactly("my-server", "--model", "/m/x.bin", "--bind", "127.0.0.1:40001",
        "--name", "qwen", "--gpus", "1,3", "-n", "2");
    assertThat(command.env()).containsEntry("MODE", "fast").containsEntry("GANTRY_API_KEY", "s3cret")
        .containsEntry("CUDA_VISIBLE_DEVICES", "1,3");
    assertThat(command.healthPath()).isEqualTo("/ready");
  }

  @Test
  void noBackendPutsTheEngineKeyOnTheCommandLine() {
    List<JsonObject> models = List.of(
        new JsonObject().put("backend", "llama.cpp").put("local_path", "/m/q.gguf"),
        new JsonObject().put("backend", "builtin").put("source", "builtin").put("builtin_model", "all-minilm-l6-v2"),
        new JsonObject().put("backend", "custom").put("local_path", "/m/x").put("run_command", "srv {{host}} {{port}}"));
    for (JsonObject model : models) {
      EngineCommand command = Backends.command(spec(model, List.of(0)));
      assertThat(String.join(" ", command.argv())).as(model.getString("backend")).doesNotContain("s3cret");
      assertThat(command.env()).as(model.getString("backend")).containsValue("s3cret");
    }
  }

  @Test
  void aStoredCustomCommandThatAsksForTheKeyFailsToStartSayingWhy() {
    JsonObject model = new JsonObject().put("backend", "custom").put("run_command", "srv --api-key {{api_key}}");
    assertThatThrownBy(() -> Backends.command(spec(model, List.of()))).hasMessageContaining("{{api_key}}")
        .hasMessageContaining("GANTRY_API_KEY").hasMessageNotContaining("s3cret");
  }

  @Test
  void enginesGetOnlyAllowListedNodeVariablesThenTheirOwn() {
    Map<String, String> node = Map.of("PATH", "/usr/bin", "HOME", "/root", "LC_ALL", "C.UTF-8",
        "CUDA_VISIBLE_DEVICES", "0,1", "LD_LIBRARY_PATH", "/usr/local/cuda/lib64",
        "GANTRY_DB_URL", "postgresql://gantry:pw@db/gantry", "GANTRY_CLUSTER_SECRET", "x".repeat(40),
        "GANTRY_OIDC_CLIENT_SECRET", "oidc", "AWS_SECRET_ACCESS_KEY", "aws", "JAVA_TOOL_OPTIONS", "-javaagent:x");
    Map<String, String> env = EngineEnvironment.of(node, Map.of("MODE", "fast", "GANTRY_API_KEY", "k"));
    assertThat(env).containsOnlyKeys("PATH", "HOME", "LC_ALL", "CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "MODE",
        "GANTRY_API_KEY");
    assertThat(EngineEnvironment.of(node, Map.of("CUDA_VISIBLE_DEVICES", "1"))).containsEntry("CUDA_VISIBLE_DEVICES", "1");
  }

  @Test
  void unknownPlaceholdersAndBackendsAreErrorsThatSayWhich() {
    JsonObject model = new JsonObject().put("backend", "custom").put("run_command", "srv {{weights}}");
    assertThatThrownBy(() -> Backends.command(spec(model, List.of()))).hasMessageContaining("{{weights}}");
    assertThatThrownBy(() -> Backends.command(spec(new JsonObject().put("backend", "tgi"), List.of())))
        .hasMessageContaining("unknown backend 'tgi'");
  }

  @Test
  void splitsCommandsLikeAShell() {
    assertThat(CommandLineWords.split("a  'b c' \"d e\"f g")).containsExactly("a", "b c", "d ef", "g");
    assertThatThrownBy(() -> CommandLineWords.split("a 'b")).hasMessageContaining("unbalanced quote");
  }
}
