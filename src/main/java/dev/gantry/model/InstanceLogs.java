package dev.gantry.model;

import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/model-instances/{id}/logs?tail=N&follow=true}: asks the node that runs the instance
 * for the end of its engine log over the event bus and, when following, polls it for what was added.
 */
public final class InstanceLogs {

  static final long FOLLOW_POLL_MS = 500;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;

  public InstanceLogs(Vertx vertx) {
    this.vertx = vertx;
  }

  public void serve(RoutingContext ctx, JsonObject instance) {
    String node = instance.getString("node_name");
    if (node == null) {
      ctx.fail(ApiException.conflict("instance " + instance.getString("name") + " is not placed on a node yet: "
          + instance.getString("state_message", instance.getString("state"))));
      return;
    }
    int tail;
    try {
      tail = intParam(ctx, "tail", 200);
    } catch (ApiException badTail) {
      ctx.fail(badTail);
      return;
    }
    boolean follow = "true".equals(ctx.request().getParam("follow"));
    JsonObject first = new JsonObject().put("instance", instance.getString("id")).put("tail", tail);
    ask(node, first).onSuccess(chunk -> {
      HttpServerResponse response = ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
      if (!follow) {
        response.end(chunk.getString("data"));
        return;
      }
      response.setChunked(true).write(chunk.getString("data"));
      poll(ctx, node, instance.getString("id"), chunk.getLong("offset"));
    }).onFailure(ctx::fail);
  }

  private void poll(RoutingContext ctx, String node, String id, long offset) {
    HttpServerResponse response = ctx.response();
    long[] position = {offset};
    boolean[] busy = {false};
    long timer = vertx.setPeriodic(FOLLOW_POLL_MS, t -> {
      if (busy[0] || response.writeQueueFull()) {
        return;
      }
      busy[0] = true;
      ask(node, new JsonObject().put("instance", id).put("offset", position[0])).onComplete(ar -> {
        busy[0] = false;
        if (ar.succeeded() && !ar.result().getString("data").isEmpty() && !response.closed()) {
          position[0] = ar.result().getLong("offset");
          response.write(ar.result().getString("data"));
        }
      });
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private Future<JsonObject> ask(String node, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.engineLogs(node), request, TIMEOUT)
        .map(message -> message.body())
        .recover(err -> Future.failedFuture(err instanceof ReplyException reply && reply.failureCode() == 404
            ? ApiException.notFound(reply.getMessage())
            : ApiException.unavailable("node '" + node + "' did not answer for the logs: " + err.getMessage())));
  }

  private static int intParam(RoutingContext ctx, String name, int fallback) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 0 || parsed > 100_000) {
        throw ApiException.badRequest(name + " must be between 0 and 100000");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, got '" + value + "'");
    }
  }
}
