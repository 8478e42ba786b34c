package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelInstanceTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  private static ModelInstance placed() {
    return ModelInstance.pending("abcdef0123456789", "m-abcde", 7L, "m", "llama.cpp", List.of("llm"), NOW)
        .placed("n1", "10.0.0.1", List.of("n1:cuda:0"), new ModelInstance.Claim(1L << 30, 2L << 30, 1), "placed on n1");
  }

  @Test
  void theJsonShapeIsTheDocumentedOneAndReadsBackEqual() {
    ModelInstance running = placed().starting(40001, 4242L, 0, "engine started").ownedBy("member-1", 8080).running();
    JsonObject json = running.toJson();
    assertThat(json.getString("state")).isEqualTo("running");
    assertThat(json.getString("node_name")).isEqualTo("n1");
    assertThat(json.getInteger("port")).isEqualTo(40001);
    assertThat(json.getInteger("node_port")).isEqualTo(8080);
    assertThat(json.getJsonObject("claim").getLong("memory_per_device")).isEqualTo(2L << 30);
    assertThat(json.getJsonArray("device_ids").getString(0)).isEqualTo("n1:cuda:0");
    assertThat(json.containsKey("secret")).as("engine keys are derived, never stored").isFalse();
    assertThat(ModelInstance.fromJson(new JsonObject(json.encode()))).isEqualTo(running);
  }

  @Test
  void aTransitionChangesOnlyWhatItIsAbout() {
    ModelInstance starting = placed().starting(40001, 4242L, 2, "engine started");
    ModelInstance failed = starting.failed(3, "engine exited with code 1");
    assertThat(failed.state()).isEqualTo(InstanceState.ERROR);
    assertThat(failed.pid()).as("no process after a failure").isNull();
    assertThat(failed.restartCount()).isEqualTo(3);
    assertThat(failed.nodeName()).isEqualTo("n1");
    assertThat(failed.port()).isEqualTo(40001);
    assertThat(failed.claim()).isEqualTo(starting.claim());

    ModelInstance lost = starting.unreachable(NOW, "node n1 is unreachable");
    assertThat(lost.unreachableSince()).isEqualTo(NOW);
    ModelInstance back = lost.revived("node n1 is back");
    assertThat(back.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(back.unreachableSince()).isNull();
    assertThat(back.nodeName()).isEqualTo("n1");
  }

  @Test
  void anUnknownOrMissingStateReadsAsPendingSoTheReplicaIsPlacedAgain() {
    assertThat(ModelInstance.fromJson(new JsonObject().put("id", "x").put("state", "exploded")).state())
        .isEqualTo(InstanceState.PENDING);
    assertThat(ModelInstance.fromJson(new JsonObject().put("id", "x")).state()).isEqualTo(InstanceState.PENDING);
  }

  @Test
  void onlyPlacedStatesWantAnEngine() {
    assertThat(InstanceState.values()).filteredOn(InstanceState::wantsEngine)
        .containsExactlyInAnyOrder(InstanceState.SCHEDULED, InstanceState.DOWNLOADING, InstanceState.STARTING,
            InstanceState.RUNNING, InstanceState.ERROR, InstanceState.DRAINING);
  }

  @Test
  void downloadProgressShowsWhileDownloadingAndALateReportDoesNotUndoTheStart() {
    ModelInstance placed = ModelInstance.pending("i1", "m-i1", 1L, "m", "builtin", List.of("llm"), java.time.Instant.EPOCH)
        .placed("n1", "127.0.0.1", List.of(), null, "placed");
    ModelInstance.Download half = new ModelInstance.Download(50, 100, 10, 5L);

    ModelInstance downloading = placed.downloading(half, "downloading: 50%");
    ModelInstance started = downloading.starting(4000, 42, 0, "loading");

    assertThat(downloading.state()).isEqualTo(InstanceState.DOWNLOADING);
    assertThat(ModelInstance.fromJson(downloading.toJson())).isEqualTo(downloading);
    assertThat(downloading.toJson().getJsonObject("download").getInteger("percent")).isEqualTo(50);
    assertThat(started.download()).isNull();
    assertThat(started.toJson().containsKey("download")).isFalse();
    assertThat(started.downloading(new ModelInstance.Download(100, 100, 10, 0L), "late")).isSameAs(started);
  }
}
