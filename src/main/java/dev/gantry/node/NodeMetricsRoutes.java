package dev.gantry.node;

import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import dev.gantry.node.history.HistoryRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/metrics/nodes/{name}?range=1h|24h|30d}: a node's CPU, memory and device history. Any node
 * answers; the history lives on the node it describes, which is asked over the event bus.
 */
public final class NodeMetricsRoutes {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final LiveNodes nodes;

  public NodeMetricsRoutes(Vertx vertx, LiveNodes nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/metrics/nodes/:name")).respond(this::history);
  }

  private Future<JsonObject> history(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    HistoryRange range = HistoryRange.requested(ctx.request().getParam("range"));
    return nodes.get(name).compose(record -> {
      if (record == null) {
        return Future.failedFuture(ApiException.notFound("no node named '" + name + "'"));
      }
      return vertx.eventBus().<JsonObject>request(Addresses.nodeMetrics(name), new JsonObject().put("range", range.label()),
              TIMEOUT).map(message -> message.body())
          .recover(err -> Future.failedFuture(ApiException.unavailable("node '" + name
              + "' did not answer for its metrics history (is it running?): " + err.getMessage())));
    });
  }
}
