package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.builtin.demo.DemoChatModel;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it" block, run as written: the "Run it" command starts a node in a fresh folder
 * (so {@code ./data} is new), and {@code bash -euo pipefail} runs the block marked
 * {@code <!-- readme-test: first-chat -->} there. The only change is the port: the node gets free ones
 * and the block's {@code localhost:8080} points at it.
 */
@DisplayName("The README's first chat works as written on a fresh node")
class ReadmeFirstChatIT {

  private static final Path README = Path.of("README.md");
  private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(5);

  private Path dir;
  private GantryProcess node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  @DisplayName("signs in, changes the password, makes an API key, deploys both bundled models, chats and embeds")
  void firstChatBlockRunsAsWritten() throws Exception {
    String readme = Files.readString(README);
    String run = block(readme, "run-node");
    String firstChat = block(readme, "first-chat");
    dir = TestFiles.tempDir("gantry-readme-");
    int port = Ports.free();

    node = GantryProcess.launch("readme-first-chat", dir, nodeCommand(run, port));
    Eventually.await(Duration.ofSeconds(120), () -> {
      assertThat(node.alive()).as("the node runs; its output:%n%s", node.output()).isTrue();
      assertThat(new Api("http://127.0.0.1:" + port).get("/health/ready").status()).isEqualTo(200);
    });
    assertThat(firstChat).contains("localhost:8080");
    Result result = bash(firstChat.replace("localhost:8080", "localhost:" + port));

    assertThat(result.exitCode()).as("exit code of the block; stdout:%n%s%nstderr:%n%s%nnode:%n%s",
        result.stdout(), result.stderr(), node.output()).isZero();
    assertThat(result.stdout()).contains("\"content\":\"" + DemoChatModel.REPLY + "\"")
        .contains("\"finish_reason\":\"stop\"");
    assertThat(embedding(result.stdout())).hasSize(384);
    assertThat(dir.resolve("data").resolve("initial_admin_password")).doesNotExist();
  }

  /** The fenced block right after {@code <!-- readme-test: name -->}. */
  static String block(String markdown, String name) {
    String marker = "<!-- readme-test: " + name + " -->\n";
    int at = markdown.indexOf(marker);
    assertThat(at).as("README.md has the marker %s", marker.strip()).isNotNegative();
    String after = markdown.substring(at + marker.length());
    assertThat(after).as("a ```bash fence follows %s", marker.strip()).startsWith("```bash\n");
    int end = after.indexOf("\n```", "```bash".length());
    return after.substring("```bash\n".length(), end + 1);
  }

  /** "Run it" ends with {@code java -jar target/gantry.jar [options]}: that, with this build's jar and free ports. */
  private static List<String> nodeCommand(String runBlock, int port) {
    String line = runBlock.strip();
    String java = line.substring(line.lastIndexOf("&&") + 2).strip();
    List<String> words = new ArrayList<>(Arrays.asList(java.split("\\s+")));
    assertThat(words).as("the README starts the node with java -jar target/gantry.jar").startsWith("java", "-jar",
        "target/gantry.jar");
    words.set(0, GantryProcess.java());
    words.set(2, GantryProcess.jar().toAbsolutePath().toString());
    words.addAll(List.of("--port", String.valueOf(port), "--cluster-port", String.valueOf(Ports.free()),
        "--embedded-db-port", String.valueOf(Ports.free())));
    return words;
  }

  private record Result(int exitCode, String stdout, String stderr) {
  }

  private Result bash(String script) throws IOException, InterruptedException {
    Path stdout = dir.resolve("block.out");
    Path stderr = dir.resolve("block.err");
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("GANTRY_"));
    Process process = builder.start();
    if (!process.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the README block ran longer than " + BLOCK_TIMEOUT + "; stdout:\n"
          + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
    }
    return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** The numbers of the first {@code "embedding":[...]} in the output. */
  private static List<Double> embedding(String output) {
    Matcher matcher = Pattern.compile("\"embedding\":\\[([^]]*)]").matcher(output);
    assertThat(matcher.find()).as("an embedding in:%n%s", output).isTrue();
    return Arrays.stream(matcher.group(1).split(",")).map(String::strip).map(Double::valueOf).toList();
  }
}
