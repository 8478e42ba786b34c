package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRecordTest {

  private static final Instant STARTED = Instant.parse("2026-11-30T20:00:00Z");
  private static final Instant BEAT = Instant.parse("2026-11-30T20:01:00Z");

  private static NodeRecord ready() {
    return new NodeRecord("n1", "10.0.0.1", 8080, 5701, "member-1", Map.of("zone", "a"), false, false, NodeState.READY, null,
        "dev", STARTED, BEAT, null, new NodeRecord.Hardware(new JsonObject().put("name", "Linux"),
            new JsonObject().put("cores", 2), new JsonObject().put("total", 1024),
            new JsonArray().add(new JsonObject().put("id", "n1:cpu:0"))), List.of("builtin", "custom"));
  }

  @Test
  void writesTheDocumentedJsonAndReadsItBack() {
    JsonObject json = ready().toJson();

    assertThat(json.getString("state")).isEqualTo("ready");
    assertThat(json.getString("member_id")).isEqualTo("member-1");
    assertThat(json.getInteger("cluster_port")).isEqualTo(5701);
    assertThat(json.getJsonObject("labels")).isEqualTo(new JsonObject().put("zone", "a"));
    assertThat(json.getString("heartbeat_at")).isEqualTo("2026-11-30T20:01:00Z");
    assertThat(json.containsKey("unreachable_since")).isFalse();
    assertThat(json.getJsonArray("devices")).hasSize(1);
    assertThat(NodeRecord.fromJson(new JsonObject(json.encode()))).isEqualTo(ready());
  }

  @Test
  void maintenanceSetByAnAdminChangesStateAndMessage() {
    NodeRecord inMaintenance = ready().withSettings(new NodeSettings(Map.of("zone", "b"), true));

    assertThat(inMaintenance.state()).isEqualTo(NodeState.MAINTENANCE);
    assertThat(inMaintenance.stateMessage()).isEqualTo(NodeRecord.MAINTENANCE_MESSAGE);
    assertThat(inMaintenance.labels()).containsExactly(Map.entry("zone", "b"));
    assertThat(inMaintenance.withSettings(new NodeSettings(Map.of(), false)).state()).isEqualTo(NodeState.READY);
  }

  @Test
  void anUnreachableNodeStaysUnreachableWhateverItsSettings() {
    Instant left = Instant.parse("2026-11-30T20:02:00Z");
    NodeRecord gone = ready().unreachable(left);

    assertThat(gone.state()).isEqualTo(NodeState.UNREACHABLE);
    assertThat(gone.unreachableSince()).isEqualTo(left);
    assertThat(gone.stateMessage()).contains("left the cluster at 2026-11-30T20:02:00Z").contains("2026-11-30T20:01:00Z");
    assertThat(gone.toJson().getString("unreachable_since")).isEqualTo("2026-11-30T20:02:00Z");
    assertThat(gone.withSettings(new NodeSettings(Map.of(), true)).state()).isEqualTo(NodeState.UNREACHABLE);
    assertThat(NodeRecord.fromJson(gone.toJson())).isEqualTo(gone);
  }
}
