package dev.gantry.model;

import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.hub.HubSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v2/models/evaluate}: what a model spec would need before it is deployed, and where it would
 * fit. Hub models are resolved (repo, revision, files: the same errors as saving) and estimated from their
 * safetensors headers and config.json; the answer lists, per ready node, the devices whose free memory
 * holds one replica (GPU backends, or {@code devices_per_replica} > 0), or whether the node's free RAM does.
 * Nothing is stored or placed.
 */
final class ModelEvaluation {

  private static final Set<String> GPU_BACKENDS = Set.of("vllm", "sglang", "mindie");

  private final HubResolver hubs;
  private final LiveNodes nodes;

  ModelEvaluation(HubResolver hubs, LiveNodes nodes) {
    this.hubs = hubs;
    this.nodes = nodes;
  }

  Future<JsonObject> evaluate(JsonObject body) {
    String token = (String) body.remove("hub_token");
    body.remove("name");
    JsonObject spec = ModelSpecs.normalize(body);
    return hubs.resolve(spec, token).compose(resolved -> nodes.all().map(all -> answer(resolved, all)));
  }

  private static JsonObject answer(JsonObject spec, List<NodeRecord> all) {
    JsonObject resolved = spec.getJsonObject("resolved");
    JsonObject estimate = resolved == null ? null : resolved.getJsonObject("estimate");
    long needed = estimate != null ? estimate.getLong("total_bytes")
        : resolved != null ? resolved.getLong("total_bytes", 0L) + (256L << 20) : 0L;
    boolean onDevices = spec.getInteger("devices_per_replica", 0) > 0 || GPU_BACKENDS.contains(spec.getString("backend"));
    JsonArray fits = new JsonArray();
    for (NodeRecord node : all) {
      if (node.state() != NodeState.READY || node.hardware() == null) {
        continue;
      }
      fits.add(onDevices ? deviceFit(node, needed) : ramFit(node, needed));
    }
    JsonObject out = new JsonObject().put("needed_bytes", needed).put("on_devices", onDevices).put("nodes", fits)
        .put("estimate", estimate).put("fits", fits.stream().anyMatch(f -> ((JsonObject) f).getBoolean("fits")));
    if (resolved != null) {
      HubSnapshot snapshot = HubSnapshot.fromJson(resolved);
      out.put("resolved", new JsonObject().put("commit", snapshot.commit()).put("main_file", snapshot.mainFile())
          .put("files", resolved.getJsonArray("files").size()).put("total_bytes", snapshot.totalBytes()));
    }
    return out;
  }

  private static JsonObject deviceFit(NodeRecord node, long needed) {
    JsonArray devices = new JsonArray();
    JsonArray all = node.hardware().devices() == null ? new JsonArray() : node.hardware().devices();
    for (Object item : all) {
      JsonObject device = (JsonObject) item;
      if (!"cpu".equals(device.getString("type"))) {
        long free = device.getLong("memory_total", 0L) - device.getLong("memory_used", 0L);
        if (free >= needed) {
          devices.add(new JsonObject().put("id", device.getString("id")).put("free_bytes", free));
        }
      }
    }
    return new JsonObject().put("node_name", node.name()).put("fits", !devices.isEmpty()).put("devices", devices);
  }

  private static JsonObject ramFit(NodeRecord node, long needed) {
    JsonObject memory = node.hardware().memory() == null ? new JsonObject() : node.hardware().memory();
    long free = memory.getLong("total", 0L) - memory.getLong("used", 0L);
    return new JsonObject().put("node_name", node.name()).put("fits", free >= needed).put("free_ram_bytes", free)
        .put("devices", new JsonArray());
  }
}
