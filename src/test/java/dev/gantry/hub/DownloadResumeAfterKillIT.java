package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A real node process downloading a model from the fake hub, which serves the file at a trickle, is killed
 * (SIGKILL) mid-download and started again on the same data directory: the download resumes with a Range
 * from what reached the disk, completes, passes its sha256 check and the replica runs.
 */
@DisplayName("A node killed mid-download resumes the file from where it was after a restart")
class DownloadResumeAfterKillIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final String FILE = "resume-Q8_0.gguf";
  private static final int PER_TICK = 48 * 1024;

  private static Path workDir;
  private static FakeHub hub;
  private static byte[] gguf;
  private static final List<GantryProcess> processes = new ArrayList<>();

  @BeforeAll
  static void prepare() throws Exception {
    workDir = TestFiles.tempDir("gantry-resume-it-");
    gguf = Files.readAllBytes(TestModels.random(workDir.resolve("model.gguf"), 128, 2));
    hub = new FakeHub();
    hub.trickle(FILE, PER_TICK);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    processes.forEach(GantryProcess::close);
    stopPostmaster(workDir.resolve("data").resolve("postgres"));
    hub.close();
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  @DisplayName("kill -9 while downloading, restart: a Range request from the bytes on disk, a verified file, a running replica")
  void theDownloadResumesAfterTheNodeIsKilled() {
    String repo = "gantry-" + Ids.random(6) + "/Resume-GGUF";
    hub.add(repo, "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed", Map.of(FILE, gguf), false);
    int httpPort = Ports.free();
    List<String> args = List.of("--data-dir", workDir.resolve("data").toString(), "--port", String.valueOf(httpPort),
        "--cluster-port", String.valueOf(Ports.free()), "--embedded-db-port", String.valueOf(Ports.free()),
        "--node-name", "resume-node", "--bootstrap-password", "Resume-Admin-pw-7", "--hf-endpoint", hub.endpoint());
    GantryProcess first = start(args);
    Api admin = signIn(first, httpPort);
    String model = "resume-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("source", "huggingface").put("repo", repo)
        .put("file", "*.gguf").put("backend", "builtin")), 201);
    Eventually.await(START, () -> assertThat(hub.bytesServed(FILE)).isGreaterThan(gguf.length / 5));
    assertThat(hub.bytesServed(FILE)).as("still downloading when killed").isLessThan(gguf.length);

    first.kill();
    long servedBeforeKill = hub.bytesServed(FILE);
    int transfersBeforeKill = hub.transfers(FILE).size();
    GantryProcess second = start(args);
    Api again = signIn(second, httpPort);

    Eventually.await(START, () -> assertThat(Api.expect(again.get("/v2/model-instances?model_name=" + model), 200)
        .getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("state"))).as(second.output()).contains("running"));
    List<long[]> transfers = hub.transfers(FILE);
    assertThat(transfers.get(0)[0]).as("the first download starts at byte 0").isZero();
    List<long[]> afterRestart = transfers.subList(transfersBeforeKill, transfers.size());
    assertThat(afterRestart).as("the node downloaded again after its restart").isNotEmpty();
    assertThat(afterRestart).allSatisfy(t -> assertThat(t[0]).as("a Range past 0, never from the start")
        .isGreaterThan(0).isLessThanOrEqualTo(servedBeforeKill));
    long[] last = afterRestart.get(afterRestart.size() - 1);
    assertThat(last[0] + last[1]).as("the resumed download runs to the end of the file").isEqualTo(gguf.length);
    assertThat(hub.bytesServed(FILE)).as("the file was not sent twice").isLessThan(gguf.length + servedBeforeKill);
  }

  private static GantryProcess start(List<String> args) {
    GantryProcess process = GantryProcess.start("resume-node", workDir.resolve("node"), args);
    processes.add(process);
    return process;
  }

  private static Api signIn(GantryProcess process, int port) {
    Api api = new Api("http://127.0.0.1:" + port);
    Eventually.await(START, () -> {
      assertThat(process.alive()).as("the node runs; its output:%n%s", process.output()).isTrue();
      assertThat(api.loginAttempt("admin", "Resume-Admin-pw-7").status()).isEqualTo(200);
    });
    return api.login("admin", "Resume-Admin-pw-7");
  }

  /** The embedded PostgreSQL outlives a killed node (its own session); stop it by the pid it wrote. */
  private static void stopPostmaster(Path pgData) throws Exception {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
  }
}
