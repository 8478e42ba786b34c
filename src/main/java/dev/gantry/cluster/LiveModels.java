package dev.gantry.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The one owner of {@code gantry.models}: the deployment specs PostgreSQL keeps, mirrored by name for
 * the scheduler, the supervisors and the gateway. Only the model API writes it (after the database);
 * every node copies the stored models in at start. Specs stay JSON: they are the validated API shape.
 */
public final class LiveModels {

  private final Vertx vertx;
  private final SharedMap map;

  public LiveModels(SharedMaps maps) {
    this.vertx = maps.vertx();
    this.map = maps.map(ClusterMaps.MODELS);
  }

  public Future<JsonObject> get(String name) {
    return map.get(name).map(LiveModels::decode);
  }

  public Future<List<JsonObject>> all() {
    return vertx.executeBlocking(() -> map.valuesBlocking().stream().map(LiveModels::decode).toList(), false);
  }

  public Future<JsonObject> put(JsonObject model) {
    return map.set(model.getString("name"), model.encode()).map(model);
  }

  /** Copies every stored model in (each node does it at start; idempotent). */
  public Future<Void> putAll(List<JsonObject> models) {
    return vertx.executeBlocking(() -> {
      models.forEach(model -> map.setBlocking(model.getString("name"), model.encode()));
      return null;
    }, false);
  }

  public Future<Void> remove(String name) {
    return map.remove(name).mapEmpty();
  }

  /** Calls {@code sink} with the change type and the spec for every change made on any node. */
  public Future<SharedMap.Listening> listen(BiConsumer<SharedMap.ChangeType, JsonObject> sink) {
    return map.listen(change -> sink.accept(change.type(), decode(change.value())));
  }

  /** A local copy that follows the map, for reads on the data plane; start it from a worker. */
  public LocalMirror<JsonObject> mirror(Runnable onChange) {
    return new LocalMirror<>(map, LiveModels::decode, onChange);
  }

  private static JsonObject decode(String raw) {
    return raw == null ? null : new JsonObject(raw);
  }
}
