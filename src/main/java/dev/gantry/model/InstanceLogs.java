package dev.gantry.model;

import dev.gantry.api.CallerStreams;
import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import io.vertx.core.Context;
import dev.gantry.cluster.ModelInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/model-instances/{id}/logs?tail=N&follow=true}: asks the node that runs the instance
 * for the end of its engine log over the event bus and, when following, polls it for what was added. A
 * follow counts against the caller's cap and ends when the caller's access ends ({@link CallerStreams}).
 */
public final class InstanceLogs {

  static final long FOLLOW_POLL_MS = 500;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;

  public InstanceLogs(Vertx vertx) {
    this.vertx = vertx;
  }

  public void serve(RoutingContext ctx, ModelInstance instance) {
    String node = instance.nodeName();
    if (node == null) {
      ctx.fail(ApiException.conflict("instance " + instance.name() + " is not placed on a node yet: "
          + (instance.stateMessage() == null ? instance.state().json() : instance.stateMessage())));
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
    JsonObject first = new JsonObject().put("instance", instance.id()).put("tail", tail);
    Context context = vertx.getOrCreateContext();
    long[] timer = {-1};
    Runnable end = () -> context.runOnContext(v -> {
      vertx.cancelTimer(timer[0]);
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().end();
      }
    });
    CallerStreams.Stream stream;
    try {
      stream = follow ? CallerStreams.of(ctx).open(CallerStreams.Kind.LOG_FOLLOW, end) : null;
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    ask(node, first).onSuccess(chunk -> {
      if (ctx.response().ended()) {
        return;
      }
      HttpServerResponse response = ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
      if (!follow) {
        response.end(chunk.getString("data"));
        return;
      }
      response.setChunked(true).write(chunk.getString("data"));
      timer[0] = poll(ctx, node, instance.id(), chunk.getLong("offset"));
      response.closeHandler(v -> {
        vertx.cancelTimer(timer[0]);
        stream.closed();
      });
      response.endHandler(v -> stream.closed());
    }).onFailure(err -> {
      if (stream != null) {
        stream.closed();
      }
      ctx.fail(err);
    });
  }

  /** Polls the owning node for what the log gained; answers the timer. */
  private long poll(RoutingContext ctx, String node, String id, long offset) {
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
        if (ar.succeeded() && !ar.result().getString("data").isEmpty() && !response.closed() && !response.ended()) {
          position[0] = ar.result().getLong("offset");
          response.write(ar.result().getString("data"));
        }
      });
    });
    return timer;
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
