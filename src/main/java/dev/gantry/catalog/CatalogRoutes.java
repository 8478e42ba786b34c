package dev.gantry.catalog;

import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/catalog}: the model families with the specs that fit this cluster's ready nodes, best
 * first; {@code ?all=true} also lists the specs that fit nowhere, each with the reason.
 */
public final class CatalogRoutes {

  private final Vertx vertx;
  private final LiveNodes nodes;
  private final Catalog catalog;

  public CatalogRoutes(Vertx vertx, LiveNodes nodes, Catalog catalog) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/catalog")).respond(this::list);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    boolean all = "true".equalsIgnoreCase(ctx.queryParams().get("all"));
    return vertx.executeBlocking(catalog::load, false)
        .compose(loaded -> nodes.all().map(records -> Catalog.forCluster(loaded, records, all)));
  }
}
