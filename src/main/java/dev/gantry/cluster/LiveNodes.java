package dev.gantry.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The one owner of {@code gantry.nodes} (live node records) and {@code gantry.node-settings} (what
 * admins set, mirrored from PostgreSQL). Reads and writes answer futures and never block the caller's
 * event loop; a record several writers touch (the agent, liveness, the API) changes by compare-and-set.
 * The maps keep holding JSON strings, the shape other readers of the cluster know.
 */
public final class LiveNodes {

  private final Vertx vertx;
  private final SharedMap nodes;
  private final SharedMap settings;

  public LiveNodes(SharedMaps maps) {
    this.vertx = maps.vertx();
    this.nodes = maps.map(ClusterMaps.NODES);
    this.settings = maps.map(ClusterMaps.NODE_SETTINGS);
  }

  /** The node's record, or null when there is none. */
  public Future<NodeRecord> get(String name) {
    return nodes.get(name).map(raw -> raw == null ? null : NodeRecord.fromJson(new JsonObject(raw)));
  }

  public Future<List<NodeRecord>> all() {
    return vertx.executeBlocking(() -> {
      List<NodeRecord> out = new ArrayList<>();
      nodes.valuesBlocking().forEach(raw -> out.add(NodeRecord.fromJson(new JsonObject(raw))));
      return out;
    }, false);
  }

  /** Writes the node's own record (its agent's heartbeat). */
  public Future<Void> publish(NodeRecord record) {
    return nodes.set(record.name(), record.toJson().encode());
  }

  /**
   * Applies {@code change} until no other writer got in between; a change that answers null leaves the
   * record as it is. Answers the stored record, or null when there is none.
   */
  public Future<NodeRecord> update(String name, UnaryOperator<NodeRecord> change) {
    return vertx.executeBlocking(() -> compareAndSet(name, change), false);
  }

  /** {@link #update} of every record in one step off the event loop; answers how many changed. */
  public Future<Integer> updateEach(UnaryOperator<NodeRecord> change) {
    return vertx.executeBlocking(() -> {
      int changed = 0;
      for (String name : nodes.keysBlocking()) {
        NodeRecord[] before = new NodeRecord[1];
        NodeRecord after = compareAndSet(name, record -> {
          before[0] = record;
          return change.apply(record);
        });
        if (after != null && after != before[0]) {
          changed++;
        }
      }
      return changed;
    }, false);
  }

  private NodeRecord compareAndSet(String name, UnaryOperator<NodeRecord> change) {
    while (true) {
      String raw = nodes.getBlocking(name);
      if (raw == null) {
        return null;
      }
      NodeRecord current = NodeRecord.fromJson(new JsonObject(raw));
      NodeRecord next = change.apply(current);
      if (next == null) {
        return current;
      }
      if (nodes.replaceBlocking(name, raw, next.toJson().encode())) {
        return next;
      }
    }
  }

  /** Removes the node's record if {@code expected} still is what the map holds; answers whether it did. */
  public Future<Boolean> remove(NodeRecord expected) {
    return vertx.executeBlocking(() -> {
      String raw = nodes.getBlocking(expected.name());
      return raw != null && NodeRecord.fromJson(new JsonObject(raw)).equals(expected)
          && nodes.removeBlocking(expected.name(), raw);
    }, false);
  }

  /** Forgets a node: its record and its settings. */
  public Future<Void> forget(String name) {
    return vertx.executeBlocking(() -> {
      settings.removeBlocking(name);
      nodes.removeBlocking(name);  // listeners get DELETED with the old value
      return null;
    }, false);
  }

  /** The admin's settings for the node, {@link NodeSettings#NONE} when none were shared yet. */
  public Future<NodeSettings> settings(String name) {
    return settings.get(name).map(raw -> raw == null ? NodeSettings.NONE : NodeSettings.fromJson(new JsonObject(raw)));
  }

  public Future<Void> shareSettings(String name, NodeSettings value) {
    return settings.set(name, value.toJson().encode());
  }

  /**
   * Calls {@code sink} with the change type and the record for every change made on any node. The
   * listener is registered on a worker; closing the answer removes it.
   */
  public Future<SharedMap.Listening> listen(BiConsumer<SharedMap.ChangeType, NodeRecord> sink) {
    return nodes.listen(change -> sink.accept(change.type(), NodeRecord.fromJson(new JsonObject(change.value()))));
  }
}
