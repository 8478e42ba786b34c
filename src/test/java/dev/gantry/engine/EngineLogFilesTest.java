package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLogFilesTest {

  private static final String KEY = "-Vl-T5Q7TtTQeNnWpO_PU9XuSFyl-lxGiLjoKtquWiM";

  @Test
  void theLastErrorLineIsTheProblemWithTheEngineKeyBlankedOut(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("engine.log");
    Files.writeString(log, "loading\nerror: Expected parameter for option '--api-key' but found '" + KEY + "'\nbye\n");

    String problem = EngineLogFiles.lastProblem(log, KEY);

    assertThat(problem).isEqualTo("error: Expected parameter for option '--api-key' but found '<engine key>'")
        .doesNotContain(KEY);
  }

  @Test
  void aKeyPastTheCutIsBlankedBeforeTheLineIsShortened(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("engine.log");
    Files.writeString(log, "error: " + "x".repeat(270) + KEY + " " + "y".repeat(20) + "\n");

    String problem = EngineLogFiles.lastProblem(log, KEY);

    assertThat(problem).hasSize(303).endsWith("...").contains("<engine key>").doesNotContain(KEY.substring(0, 12));
  }

  @Test
  void theLastLineOfAStartingEngineIsAProgressBarsLatestRedrawWithoutColoursOrTheKey(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("engine.log");
    Files.writeString(log, "\u001B[32mINFO\u001B[0m starting with key " + KEY + "\n"
        + "Loading safetensors checkpoint shards:   0% 0/4\rLoading safetensors checkpoint shards:  50% 2/4\r");

    assertThat(EngineLogFiles.lastLine(log, KEY)).isEqualTo("Loading safetensors checkpoint shards:  50% 2/4");
    Files.writeString(log, "\u001B[32mINFO\u001B[0m serving with key " + KEY + "\n\n");
    assertThat(EngineLogFiles.lastLine(log, KEY)).isEqualTo("INFO serving with key <engine key>");
    Files.writeString(log, "");
    assertThat(EngineLogFiles.lastLine(log, KEY)).isNull();
    Files.writeString(log, "z".repeat(300) + "\n");
    assertThat(EngineLogFiles.lastLine(log, KEY)).hasSize(203).endsWith("...");
  }

  @Test
  void withoutAnErrorLineTheLastLineIsTheProblem(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("engine.log");
    Files.writeString(log, "one\ntwo\n\n");

    assertThat(EngineLogFiles.lastProblem(log, KEY)).isEqualTo("two");
    assertThat(EngineLogFiles.lastProblem(dir.resolve("missing.log"), KEY)).startsWith("log unreadable: ");
  }
}
