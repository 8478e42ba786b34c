package dev.gantry.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One node's share of a replica that runs over several nodes (pipeline parallel across them, tensor
 * parallel over the devices inside each). Rank 0 is the leader: it listens for the other ranks at
 * {@code rendezvousPort} on its node's address and serves the API on the instance's port; the others are
 * workers that connect to it. {@code state} follows the part's own engine process.
 *
 * @param rendezvousPort the leader's port the workers connect to (0 until the leader has started, and on workers)
 * @param pid            the part's engine process on its node, while it runs
 * @param download       how far the part's node is with a hub model's files (while the part is {@code downloading})
 * @param filesReady     the part's node holds the hub model's files: the leader starts once every part has them
 */
public record InstancePart(int rank, String node, String address, List<String> deviceIds, ModelInstance.Claim claim,
    InstanceState state, String message, Long pid, int rendezvousPort, ModelInstance.Download download,
    boolean filesReady) {

  public InstancePart {
    deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
  }

  /** A part just placed: its node starts it next. */
  public static InstancePart placed(int rank, String node, String address, List<String> deviceIds,
      ModelInstance.Claim claim) {
    return new InstancePart(rank, node, address, deviceIds, claim, InstanceState.SCHEDULED, null, null, 0, null, false);
  }

  public boolean leader() {
    return rank == 0;
  }

  public String role() {
    return leader() ? "leader" : "worker";
  }

  /** A new state of the part's engine (its download, if any, is over; whether its node holds the files is kept). */
  InstancePart with(InstanceState newState, String newMessage, Long newPid, int newRendezvousPort) {
    return new InstancePart(rank, node, address, deviceIds, claim, newState, newMessage, newPid, newRendezvousPort,
        null, filesReady);
  }

  /** The part's node fetches the hub model's files ({@code downloading}), or failed to ({@code error}). */
  InstancePart fetching(InstanceState newState, String newMessage, ModelInstance.Download progress) {
    return new InstancePart(rank, node, address, deviceIds, claim, newState, newMessage, null, 0, progress, false);
  }

  /** The part's node holds the hub model's files; the part waits for the others' (then the leader starts). */
  InstancePart holdingFiles(String newMessage) {
    return new InstancePart(rank, node, address, deviceIds, claim, InstanceState.SCHEDULED, newMessage, null, 0,
        download, true);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("rank", rank).put("role", role()).put("node_name", node)
        .put("address", address).put("device_ids", new JsonArray(deviceIds)).put("state", state.json())
        .put("state_message", message).put("pid", pid)
        .put("rendezvous_port", rendezvousPort > 0 ? rendezvousPort : null);
    if (download != null) {
      json.put("download", download.toJson());
    }
    if (filesReady) {
      json.put("files_ready", true);
    }
    return claim == null ? json : json.put("claim", claim.toJson());
  }

  static InstancePart fromJson(JsonObject json) {
    return new InstancePart(json.getInteger("rank", 0), json.getString("node_name"), json.getString("address"),
        json.getJsonArray("device_ids", new JsonArray()).stream().map(String::valueOf).toList(),
        ModelInstance.Claim.fromJson(json.getJsonObject("claim")), InstanceState.fromJson(json.getString("state")),
        json.getString("state_message"), json.getValue("pid") instanceof Number n ? n.longValue() : null,
        json.getInteger("rendezvous_port") == null ? 0 : json.getInteger("rendezvous_port"),
        ModelInstance.Download.fromJson(json.getJsonObject("download")), json.getBoolean("files_ready", false));
  }
}
