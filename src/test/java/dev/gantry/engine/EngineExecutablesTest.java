package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.InstallHints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineExecutablesTest {

  @TempDir
  Path dir;

  private Path executable(String name) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void llamaCppIsAvailableWhenLlamaServerIsOnThePath() throws IOException {
    executable("llama-server");
    EngineExecutables found = new EngineExecutables("llama-server", Map.of("PATH", "/nonexistent:" + dir));
    assertThat(found.available()).containsExactly("builtin", "custom", "llama.cpp");
    EngineExecutables missing = new EngineExecutables("llama-server", Map.of("PATH", "/nonexistent"));
    assertThat(missing.available()).containsExactly("builtin", "custom");
  }

  @Test
  void anAbsolutePathMustBeAnExecutableFile() throws IOException {
    Path server = executable("my-llama-server");
    assertThat(new EngineExecutables(server.toString(), Map.of()).available()).contains("llama.cpp");
    Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(new EngineExecutables(server.toString(), Map.of()).available()).doesNotContain("llama.cpp");
    assertThat(new EngineExecutables(dir.toString(), Map.of()).available()).as("a directory").doesNotContain("llama.cpp");
  }

  @Test
  void onlyLlamaCppHasAnInstallHint() {
    assertThat(InstallHints.forBackend("llama.cpp")).contains("scripts/llama-server.sh");
    assertThat(InstallHints.forBackend("builtin")).isEmpty();
  }

  /** A fake engine that counts how often it was asked and prints {@code output}. */
  private Path fake(Path file, String output) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\necho asked >> '" + file + ".asked'\nprintf '" + output + "'\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private long asked(Path file) throws IOException {
    Path count = Path.of(file + ".asked");
    return Files.exists(count) ? Files.readAllLines(count).size() : 0;
  }

  @Test
  void enginesAreFoundByVersionInTheEnginesFolderAndOnThePathAskingEachOnceUntilItChanges() throws IOException {
    Path engines = dir.resolve("engines");
    Path old = fake(engines.resolve("vllm/0.8.2/bin/vllm"), "INFO loading\\n0.8.2\\n");
    Path current = fake(engines.resolve("vllm/0.11.2/bin/vllm"), "0.11.2\\n");
    fake(engines.resolve("sglang/0.5.4.post3/bin/sglang"), "sglang version: 0.5.4.post3\\n");
    fake(engines.resolve("mindie/2.3.0/bin/mindieservice_daemon"), "");
    Path onPath = fake(dir.resolve("path/vllm"), "0.10.1\\n");
    fake(engines.resolve("vllm/broken/bin/vllm"), "Traceback: no module named torch\\n");
    EngineExecutables found = new EngineExecutables("llama-server", engines, Map.of("PATH", onPath.getParent().toString()));

    assertThat(found.engines()).extracting(e -> e.backend() + " " + e.version()).containsExactly(
        "mindie 2.3.0", "sglang 0.5.4.post3", "vllm 0.11.2", "vllm 0.10.1", "vllm 0.8.2");
    assertThat(found.available()).containsExactly("builtin", "custom", "mindie", "sglang", "vllm");
    assertThat(found.find("vllm", "").orElseThrow().executable()).isEqualTo(current.toString());
    assertThat(found.find("vllm", "0.8.2").orElseThrow().executable()).isEqualTo(old.toString());
    assertThat(found.find("vllm", "0.9.0")).isEmpty();
    assertThat(found.find("sglang", "0.5.4.post3")).isPresent();

    assertThat(asked(current)).as("asked once, then cached").isEqualTo(1);
    Files.setLastModifiedTime(current, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(current).toMillis() + 5000));
    found.engines();
    assertThat(asked(current)).as("asked again after the executable changed").isEqualTo(2);
    assertThat(asked(old)).isEqualTo(1);
  }

  @Test
  void versionedEnginesHaveAnInstallHintNamingTheEnginesFolder() {
    assertThat(InstallHints.forBackend("vllm")).contains("<engines-dir>/vllm/<version>/bin/vllm", "--engines-dir");
  }
}
