package dev.gantry.engine;

import dev.gantry.cluster.LiveInstances;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Answers the cluster's log requests for engines of this node: the tail, or what follows an offset. */
final class EngineLogService {

  static void answer(Vertx vertx, EngineLogFiles logs, LiveInstances instances, Message<JsonObject> message) {
    JsonObject request = message.body();
    String id = request.getString("instance");
    instances.get(id).compose(instance -> instance == null ? Future.succeededFuture(null) : vertx.executeBlocking(() -> {
      Path file = logs.latest(instance.name(), instance.restartCount());
      if (file == null) {
        return new JsonObject().put("data", "").put("offset", 0L);
      }
      EngineLogFiles.Chunk chunk = request.containsKey("offset")
          ? EngineLogFiles.from(file, request.getLong("offset"))
          : EngineLogFiles.tail(file, request.getInteger("tail", 200));
      return new JsonObject().put("data", chunk.data()).put("offset", chunk.offset()).put("file", file.toString());
    }, false)).onComplete(ar -> {
      if (ar.failed()) {
        message.fail(500, "cannot read the engine log: " + ar.cause().getMessage());
      } else if (ar.result() == null) {
        message.fail(404, "no model instance with id '" + id + "'");
      } else {
        message.reply(ar.result());
      }
    });
  }

  private EngineLogService() {
  }
}
