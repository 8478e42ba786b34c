package dev.gantry.engine.backend;

import static dev.gantry.engine.backend.VllmBackendTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MindieBackendTest {

  @TempDir
  Path dir;

  @Test
  void writesItsConfigJsonWithLoopbackTheChosenPortNoHttpsAndTheDevices() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("mindie/bin"));
    Path work = dir.resolve("work");
    EngineCommand command = Backends.command(spec("mindie", "2.3.0", bin.resolve("mindieservice_daemon").toString(),
        List.of(4, 5), work, "--max-seq-len", "16384", "--max-batch-size=64", "--trust-remote-code"));
    assertThat(command.argv()).containsExactly(bin.resolve("mindieservice_daemon").toString());
    assertThat(command.directory()).isEqualTo(bin);
    Path config = work.resolve("config.json");
    assertThat(command.env()).containsEntry("MIES_CONFIG_JSON_PATH", config.toString())
        .containsEntry("MIES_SERVICE_MONITOR_MODE", "1").containsEntry("ASCEND_RT_VISIBLE_DEVICES", "4,5")
        .doesNotContainKey("CUDA_VISIBLE_DEVICES");
    assertThat(command.healthPath()).isEqualTo("/v2/health/ready");
    JsonObject json = new JsonObject(Files.readString(config));
    JsonObject server = json.getJsonObject("ServerConfig");
    assertThat(server.getString("ipAddress")).isEqualTo("127.0.0.1");
    assertThat(List.of(server.getInteger("port"), server.getInteger("managementPort"), server.getInteger("metricsPort")))
        .containsOnly(40001);
    assertThat(server.getBoolean("httpsEnabled")).isFalse();
    JsonObject backend = json.getJsonObject("BackendConfig");
    assertThat(backend.getJsonArray("npuDeviceIds").encode()).isEqualTo("[[0,1]]");
    JsonObject deploy = backend.getJsonObject("ModelDeployConfig");
    assertThat(deploy.getLong("maxSeqLen")).isEqualTo(16384L);
    JsonObject model = deploy.getJsonArray("ModelConfig").getJsonObject(0);
    assertThat(model.getString("modelName")).isEqualTo("qwen");
    assertThat(model.getString("modelWeightPath")).isEqualTo("/models/qwen");
    assertThat(model.getInteger("worldSize")).isEqualTo(2);
    assertThat(model.getBoolean("trustRemoteCode")).isTrue();
    assertThat(backend.getJsonObject("ScheduleConfig").getLong("maxBatchSize")).isEqualTo(64L);
  }

  @Test
  void anythingButItsPseudoOptionsIsRefused() {
    assertThatThrownBy(() -> EngineBackends.check("mindie", "2.3.0", List.of("--enforce-eager")))
        .hasMessageContaining("backend 'mindie' has no command line").hasMessageContaining("--max-seq-len");
    assertThatThrownBy(() -> EngineBackends.check("mindie", "", List.of("--max-seq-len", "lots")))
        .hasMessageContaining("--max-seq-len needs a whole number, got 'lots'");
  }
}
