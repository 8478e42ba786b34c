package dev.gantry.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The one owner of {@code gantry.instances}: the replicas of every model, as {@link ModelInstance}
 * records. The scheduler creates, places and removes them; the node that runs one changes it through
 * its transitions. Several writers touch one record, so every change is a compare-and-set of the whole
 * record against what was read: nobody's write is lost.
 */
public final class LiveInstances {

  private final Vertx vertx;
  private final SharedMap map;

  public LiveInstances(SharedMaps maps) {
    this.vertx = maps.vertx();
    this.map = maps.map(ClusterMaps.INSTANCES);
  }

  public Future<ModelInstance> get(String id) {
    return map.get(id).map(LiveInstances::decode);
  }

  public Future<List<ModelInstance>> all() {
    return vertx.executeBlocking(() -> map.valuesBlocking().stream().map(LiveInstances::decode).toList(), false);
  }

  public Future<Void> create(ModelInstance instance) {
    return map.set(instance.id(), encode(instance));
  }

  /**
   * Applies {@code change} to the current record until no other writer got in between; a change that
   * answers null (or the same record) leaves it as it is. Answers the stored record, or null when the
   * instance is gone (a removed replica is never brought back by a late change).
   */
  public Future<ModelInstance> update(String id, UnaryOperator<ModelInstance> change) {
    return vertx.executeBlocking(() -> {
      while (true) {
        String raw = map.getBlocking(id);
        if (raw == null) {
          return null;
        }
        ModelInstance current = decode(raw);
        ModelInstance next = change.apply(current);
        if (next == null || next.equals(current)) {
          return current;
        }
        if (map.replaceBlocking(id, raw, encode(next))) {
          return next;
        }
      }
    }, false);
  }

  /** Removes the replica; answers whether there was one. */
  public Future<Boolean> remove(String id) {
    return map.remove(id).map(old -> old != null);
  }

  /** Calls {@code sink} with the change type and the record for every change made on any node. */
  public Future<SharedMap.Listening> listen(BiConsumer<SharedMap.ChangeType, ModelInstance> sink) {
    return map.listen(change -> sink.accept(change.type(), decode(change.value())));
  }

  /** A local copy that follows the map, for reads on the data plane; start it from a worker. */
  public LocalMirror<ModelInstance> mirror(Runnable onChange) {
    return new LocalMirror<>(map, LiveInstances::decode, onChange);
  }

  private static ModelInstance decode(String raw) {
    return raw == null ? null : ModelInstance.fromJson(new JsonObject(raw));
  }

  private static String encode(ModelInstance instance) {
    return instance.toJson().encode();
  }
}
