package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transitions of a replica over several nodes: per-part states, and a restart of every part when one is lost. */
class ReplicaPartsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T04:00:00Z");

  private static ModelInstance overTwoNodes() {
    ModelInstance.Claim share = new ModelInstance.Claim(1L << 30, 0, 0);
    return ModelInstance.pending("i1", "big-i1", 1L, "big", "vllm", List.of("llm"), NOW).placedOver(List.of(
        InstancePart.placed(0, "node-a", "10.0.0.1", List.of(), share),
        InstancePart.placed(1, "node-b", "10.0.0.2", List.of(), share)), "placed over 2 nodes");
  }

  @Test
  void theLeaderGivesTheInstanceItsPortAndEveryStartedPartRunsOnceTheLeaderIsReady() {
    ModelInstance started = ReplicaParts.started(overTwoNodes(), 0, 0, 4100, 11, 4101, "leader started");
    assertThat(started.port()).isEqualTo(4100);
    assertThat(started.parts().get(0).rendezvousPort()).isEqualTo(4101);
    ModelInstance both = ReplicaParts.started(started, 1, 0, 4200, 22, 0, "worker started");
    assertThat(both.port()).as("a worker's port is not the instance's").isEqualTo(4100);
    assertThat(both.parts()).extracting(InstancePart::state).containsExactly(InstanceState.STARTING, InstanceState.STARTING);
    ModelInstance ready = ReplicaParts.leaderReady(both, 0);
    assertThat(ready.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(ready.parts()).extracting(InstancePart::state).containsExactly(InstanceState.RUNNING, InstanceState.RUNNING);
    assertThat(ModelInstance.fromJson(ready.toJson())).as("parts survive the cluster map").isEqualTo(ready);
  }

  @Test
  void losingAPartRestartsEveryPartAsANewGenerationAndLateReportsOfTheOldOneChangeNothing() {
    ModelInstance running = ReplicaParts.leaderReady(ReplicaParts.started(ReplicaParts.started(overTwoNodes(),
        0, 0, 4100, 11, 4101, "s"), 1, 0, 4200, 22, 0, "s"), 0);
    String message = "part 1 on node-b exited (code 137); restarting the replica";
    ModelInstance lost = ReplicaParts.lost(running, 1, 0, message);
    assertThat(lost.generation()).isEqualTo(1);
    assertThat(lost.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(lost.stateMessage()).isEqualTo(message);
    assertThat(lost.restartCount()).isEqualTo(1);
    assertThat(ReplicaParts.leaderReady(lost, 1).lastRestart()).as("still said once running again").isEqualTo(message);
    assertThat(lost.parts()).allSatisfy(p -> {
      assertThat(p.state()).isEqualTo(InstanceState.SCHEDULED);
      assertThat(p.pid()).isNull();
      assertThat(p.rendezvousPort()).isZero();
    });
    assertThat(ReplicaParts.lost(lost, 0, 0, "part 0 on node-a exited (code 1); restarting the replica"))
        .as("the leader exiting because its worker left is a report about the old generation").isEqualTo(lost);
    assertThat(ReplicaParts.leaderReady(lost, 0)).isEqualTo(lost);
  }

  @Test
  void eachPartsNodeReportsItsDownloadAndTheInstanceSumsThemNamingTheSlowestPart() {
    long total = 1000;
    ModelInstance a = ReplicaParts.downloading(overTwoNodes(), 0, "node-a", new ModelInstance.Download(800, total, 80, 3L),
        "downloading: 80% from Hugging Face");
    ModelInstance both = ReplicaParts.downloading(a, 1, "node-b", new ModelInstance.Download(100, total, 10, 90L),
        "downloading: 10% from Hugging Face");
    assertThat(both.state()).isEqualTo(InstanceState.DOWNLOADING);
    assertThat(both.download()).isEqualTo(new ModelInstance.Download(900, 2 * total, 90, 90L));
    assertThat(both.stateMessage()).contains("0 of 2 have the files", "slowest: part 1 on node-b: downloading: 10%");
    assertThat(both.parts()).extracting(InstancePart::state)
        .containsExactly(InstanceState.DOWNLOADING, InstanceState.DOWNLOADING);
    assertThat(ReplicaParts.downloading(both, 1, "node-a", null, "x")).as("node-a holds no part 1").isEqualTo(both);

    ModelInstance leaderHas = ReplicaParts.holdingFiles(both, 0, "node-a");
    assertThat(leaderHas.download().bytes()).as("a node that holds the files counts them all").isEqualTo(total + 100);
    assertThat(ReplicaParts.everyPartHoldsFiles(leaderHas)).isFalse();
    ModelInstance every = ReplicaParts.holdingFiles(leaderHas, 1, "node-b");
    assertThat(ReplicaParts.everyPartHoldsFiles(every)).isTrue();
    assertThat(every.stateMessage()).isEqualTo("model files ready on every part's node; starting the leader");
    assertThat(ModelInstance.fromJson(every.toJson())).as("files_ready survives the cluster map").isEqualTo(every);
    ModelInstance started = ReplicaParts.started(every, 0, 0, 4100, 11, 4101, "leader started");
    assertThat(started.download()).isNull();
    assertThat(started.parts().get(0).filesReady()).isTrue();
    assertThat(ReplicaParts.downloading(started, 0, "node-a", new ModelInstance.Download(0, total, 0, null), "late"))
        .as("a report after the part's engine started changes nothing").isEqualTo(started);
  }

  @Test
  void aFailedDownloadOnAWorkersNodeIsTheInstancesErrorNamingThatNodeUntilItsRetryReports() {
    ModelInstance leaderHas = ReplicaParts.holdingFiles(overTwoNodes(), 0, "node-a");
    ModelInstance failed = ReplicaParts.downloadFailed(leaderHas, 1, "node-b",
        "download failed on node-b: cannot reach the hub; trying again in 5 s");
    assertThat(failed.state()).isEqualTo(InstanceState.ERROR);
    assertThat(failed.stateMessage())
        .isEqualTo("part 1 on node-b: download failed on node-b: cannot reach the hub; trying again in 5 s");
    assertThat(failed.parts().get(1).state()).isEqualTo(InstanceState.ERROR);
    assertThat(ReplicaParts.everyPartHoldsFiles(failed)).isFalse();
    ModelInstance retrying = ReplicaParts.downloading(failed, 1, "node-b", new ModelInstance.Download(0, 1000, 0, null),
        "downloading org/m from Hugging Face");
    assertThat(retrying.state()).isEqualTo(InstanceState.DOWNLOADING);
    assertThat(retrying.stateMessage()).contains("1 of 2 have the files", "part 1 on node-b");
  }
}
