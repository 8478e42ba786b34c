package dev.gantry.engine.backend;

import static dev.gantry.engine.backend.VllmBackendTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SglangBackendTest {

  @TempDir
  Path dir;

  @Test
  void servesWithMetricsAndReadsTheKeyFromAFileOnlyGantrysUserCanRead() throws IOException {
    Path work = dir.resolve("work");
    EngineCommand command = Backends.command(spec("sglang", "0.5.4.post3", "/e/sglang/bin/sglang", List.of(2), work,
        "--context-length", "4096"));
    Path keyFile = work.resolve("sglang-args.yaml");
    assertThat(command.argv()).containsExactly("/e/sglang/bin/sglang", "serve", "--model-path", "/models/qwen",
        "--host", "127.0.0.1", "--port", "40001", "--served-model-name", "qwen", "--enable-metrics",
        "--config", keyFile.toString(), "--context-length", "4096");
    assertThat(Files.readString(keyFile)).isEqualTo("api-key: \"s3cret\"\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    assertThat(String.join(" ", command.argv())).doesNotContain("s3cret");
    assertThat(command.env()).containsEntry("CUDA_VISIBLE_DEVICES", "2").doesNotContainValue("s3cret");
    assertThat(command.healthPath()).isEqualTo("/health");
    assertThat(command.identityPath()).isEqualTo("/v1/models");
  }

  @Test
  void aVirtualEnvironmentsPythonRunsTheLaunchModuleThatEveryVersionHas() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path python = Files.writeString(bin.resolve("python3"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    EngineCommand command = Backends.command(spec("sglang", "0.4.6", bin.resolve("sglang").toString(), List.of(),
        dir.resolve("w")));
    assertThat(command.argv()).startsWith(python.toString(), "-m", "sglang.launch_server", "--model-path");
  }

  @Test
  void theRemovedNgramWindowOptionsAreRefusedOnNewVersions() {
    assertThatThrownBy(() -> EngineBackends.check("sglang", "0.5.12", List.of("--speculative-ngram-max-match-window-size", "8")))
        .hasMessageContaining("--speculative-ngram-max-match-window-size was removed in sglang 0.5.10")
        .hasMessageContaining("use --speculative-ngram-min-bfs-breadth");
    EngineBackends.check("sglang", "0.5.4", List.of("--speculative-ngram-max-match-window-size", "8"));
    assertThatThrownBy(() -> EngineBackends.check("sglang", "", List.of("--config", "/etc/x.yaml")))
        .hasMessageContaining("may not set --config");
  }

  @Test
  void theNgramWindowOptionsAreRefusedOnVersionsBeforeNgram() {
    assertThatThrownBy(() -> EngineBackends.check("sglang", "0.4.4", List.of("--speculative-ngram-min-match-window-size=1")))
        .hasMessageContaining("--speculative-ngram-min-match-window-size arrived in sglang 0.5.3")
        .hasMessageContaining("it exists in >= 0.5.3, < 0.5.10")
        .hasMessageNotContaining("use --speculative-ngram-min-bfs-breadth");
  }

  @Test
  void theVersionComesFromItsVersionCommand() {
    assertThat(new SglangBackend().versionIn("sglang version: 0.5.4.post3\ngit revision: abc\n")).isEqualTo("0.5.4.post3");
  }
}
