package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VllmBackendTest {

  static LaunchSpec spec(String backend, String version, String executable, List<Integer> gpus, Path work,
      String... parameters) {
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", backend).put("local_path", "/models/qwen")
        .put("backend_parameters", new JsonArray(List.of(parameters)));
    return new LaunchSpec(model, "inst1", "127.0.0.1", 40001, "s3cret", gpus, "/jdk/bin/java", "/opt/gantry.jar",
        "llama-server", new InstalledEngine(backend, version, executable), work);
  }

  @Test
  void servesTheModelOnLoopbackUnderItsNameWithTheKeyInTheEnvironment() {
    EngineCommand command = Backends.command(spec("vllm", "0.11.2", "/e/vllm/0.11.2/bin/vllm", List.of(0, 1), null,
        "--max-model-len=8192", "--speculative-config", "{\"method\":\"ngram\"}"));
    assertThat(command.argv()).containsExactly("/e/vllm/0.11.2/bin/vllm", "serve", "/models/qwen", "--host", "127.0.0.1",
        "--port", "40001", "--served-model-name", "qwen", "--max-model-len=8192", "--speculative-config",
        "{\"method\":\"ngram\"}");
    assertThat(command.env()).containsEntry("VLLM_API_KEY", "s3cret").containsEntry("CUDA_VISIBLE_DEVICES", "0,1");
    assertThat(String.join(" ", command.argv())).doesNotContain("s3cret");
    assertThat(command.healthPath()).isEqualTo("/health");
    assertThat(command.identityPath()).isEqualTo("/v1/models");
    assertThat(command.metricsPath()).isEqualTo("/metrics");
  }

  @Test
  void theOldSpeculativeOptionsWorkUntil082AndAreRefusedFrom083NamingTheReplacement() {
    assertThat(Backends.command(spec("vllm", "0.8.2", "/e/vllm", List.of(), null, "--speculative-model", "/d",
        "--num-speculative-tokens", "5")).argv()).contains("--speculative-model", "--num-speculative-tokens");
    assertThatThrownBy(() -> Backends.command(spec("vllm", "0.8.3", "/e/vllm", List.of(), null,
        "--speculative-model=/d")))
        .hasMessageContaining("--speculative-model was removed in vllm 0.8.3")
        .hasMessageContaining("chosen version 0.8.3").hasMessageContaining("use --speculative-config");
  }

  @Test
  void theSpeculativeConfigIsRefusedBeforeItArrived() {
    assertThatThrownBy(() -> Backends.command(spec("vllm", "0.7.3", "/e/vllm", List.of(), null,
        "--speculative-config.method=mtp")))
        .hasMessageContaining("--speculative-config.method arrived in vllm 0.8.0")
        .hasMessageContaining("chosen version 0.7.3");
  }

  @Test
  void optionsGantrySetsItselfAreRefused() {
    for (String owned : List.of("--port=9000", "--host", "--served-model-name", "--api-key=x", "--model")) {
      assertThatThrownBy(() -> EngineBackends.check("vllm", "", List.of(owned, "v")))
          .as(owned).hasMessageContaining("may not set " + owned.replaceFirst("=.*", "") + " for backend 'vllm'");
    }
  }

  @Test
  void theVersionIsTheLastVersionLineOfTheOutput() {
    assertThat(new VllmBackend().versionIn("INFO 01-01 some log 1.2\n0.11.2\n")).isEqualTo("0.11.2");
    assertThat(new VllmBackend().versionIn("no version here")).isNull();
  }
}
