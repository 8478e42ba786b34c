package dev.gantry.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
  private final IMap<String, String> nodes;
  private final IMap<String, String> settings;

  public LiveNodes(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.nodes = hazelcast.getMap(ClusterMaps.NODES);
    this.settings = hazelcast.getMap(ClusterMaps.NODE_SETTINGS);
  }

  /** The node's record, or null when there is none. */
  public Future<NodeRecord> get(String name) {
    return Future.fromCompletionStage(nodes.getAsync(name), vertx.getOrCreateContext())
        .map(raw -> raw == null ? null : NodeRecord.fromJson(new JsonObject(raw)));
  }

  public Future<List<NodeRecord>> all() {
    return vertx.executeBlocking(() -> {
      List<NodeRecord> out = new ArrayList<>();
      nodes.values().forEach(raw -> out.add(NodeRecord.fromJson(new JsonObject(raw))));
      return out;
    }, false);
  }

  /** Writes the node's own record (its agent's heartbeat). */
  public Future<Void> publish(NodeRecord record) {
    return Future.fromCompletionStage(nodes.setAsync(record.name(), record.toJson().encode()), vertx.getOrCreateContext());
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
      for (String name : nodes.keySet()) {
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
      String raw = nodes.get(name);
      if (raw == null) {
        return null;
      }
      NodeRecord current = NodeRecord.fromJson(new JsonObject(raw));
      NodeRecord next = change.apply(current);
      if (next == null) {
        return current;
      }
      if (nodes.replace(name, raw, next.toJson().encode())) {
        return next;
      }
    }
  }

  /** Removes the node's record if {@code expected} still is what the map holds; answers whether it did. */
  public Future<Boolean> remove(NodeRecord expected) {
    return vertx.executeBlocking(() -> {
      String raw = nodes.get(expected.name());
      return raw != null && NodeRecord.fromJson(new JsonObject(raw)).equals(expected) && nodes.remove(expected.name(), raw);
    }, false);
  }

  /** Forgets a node: its record and its settings. */
  public Future<Void> forget(String name) {
    return vertx.executeBlocking(() -> {
      settings.delete(name);
      nodes.remove(name);  // remove, not delete: listeners get DELETED only with the old value
      return null;
    }, false);
  }

  /** The admin's settings for the node, {@link NodeSettings#NONE} when none were shared yet. */
  public Future<NodeSettings> settings(String name) {
    return Future.fromCompletionStage(settings.getAsync(name), vertx.getOrCreateContext())
        .map(raw -> raw == null ? NodeSettings.NONE : NodeSettings.fromJson(new JsonObject(raw)));
  }

  public Future<Void> shareSettings(String name, NodeSettings value) {
    return Future.fromCompletionStage(settings.setAsync(name, value.toJson().encode()), vertx.getOrCreateContext());
  }

  /**
   * Calls {@code sink} with {@code CREATED}/{@code UPDATED}/{@code DELETED} and the record for every change
   * made on any node. The listener is registered on a worker; {@link Listening#close()} removes it.
   */
  public Future<Listening> listen(BiConsumer<String, NodeRecord> sink) {
    return vertx.executeBlocking(() -> {
      UUID id = MapEvents.listen(nodes, (type, json) -> sink.accept(type, NodeRecord.fromJson(json)));
      return (Listening) () -> vertx.executeBlocking(() -> nodes.removeEntryListener(id), false).mapEmpty();
    }, false);
  }

  /** A registered listener; closing it removes it. */
  public interface Listening {
    Future<Void> close();
  }
}
