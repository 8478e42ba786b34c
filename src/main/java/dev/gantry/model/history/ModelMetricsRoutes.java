package dev.gantry.model.history;

import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import dev.gantry.node.history.HistoryRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v2/metrics/models/{name}?range=1h|24h|30d}: a model's engine and gateway history over the
 * cluster. Every node keeps its own part ({@link ModelHistoryVerticle}); the answering node asks each node
 * that is neither unreachable nor stopped and merges ({@link ModelHistoryMerge}); nodes that do not answer
 * are named in {@code unanswered}. A stopped node's part comes back when it runs again.
 */
public final class ModelMetricsRoutes {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final LiveNodes nodes;
  private final LiveModels models;

  public ModelMetricsRoutes(Vertx vertx, LiveNodes nodes, LiveModels models) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.models = models;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/metrics/models/:name")).respond(this::history);
  }

  private Future<JsonObject> history(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    HistoryRange range = HistoryRange.requested(ctx.request().getParam("range"));
    return models.get(name).compose(model -> {
      if (model == null) {
        return Future.failedFuture(ApiException.notFound("no model named '" + name + "'"));
      }
      return nodes.all();
    }).compose(list -> {
      JsonObject ask = new JsonObject().put("model", name).put("range", range.label());
      List<Future<JsonObject>> answers = list.stream()
          .filter(node -> node.state() != NodeState.UNREACHABLE && node.state() != NodeState.STOPPED).map(NodeRecord::name)
          .map(node -> vertx.eventBus().<JsonObject>request(Addresses.modelMetrics(node), ask, TIMEOUT)
              .map(message -> message.body()).otherwise(err -> new JsonObject().put("node", node).put("failed", true)))
          .toList();
      return Future.join(answers).map(done -> {
        List<JsonObject> answered = new ArrayList<>();
        JsonArray unanswered = new JsonArray();
        answers.forEach(answer -> {
          if (answer.result().getBoolean("failed", false)) {
            unanswered.add(answer.result().getString("node"));
          } else {
            answered.add(answer.result());
          }
        });
        return new JsonObject().put("model", name).put("range", range.label())
            .put("step_seconds", range.stepMs() / 1000)
            .put("nodes", new JsonArray(answered.stream().map(a -> a.getString("node")).sorted().toList()))
            .put("unanswered", unanswered)
            .put("series", ModelHistoryMerge.series(answered));
      });
    });
  }
}
