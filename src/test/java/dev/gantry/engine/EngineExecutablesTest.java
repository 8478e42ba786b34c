package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(EngineExecutables.installHint("llama.cpp")).contains("scripts/llama-server.sh");
    assertThat(EngineExecutables.installHint("builtin")).isEmpty();
  }
}
