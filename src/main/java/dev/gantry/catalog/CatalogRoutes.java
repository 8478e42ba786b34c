package dev.gantry.catalog;

import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.model.ModelSpecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v2/catalog}: the model families with the specs that fit this cluster's ready nodes, best
 * first (with the specs this cluster measured); {@code ?all=true} also lists the specs that fit nowhere, each
 * with the reason.
 */
public final class CatalogRoutes {

  private final Vertx vertx;
  private final LiveNodes nodes;
  private final Catalog catalog;
  private final PgMeasuredSpecStore measured;

  public CatalogRoutes(Vertx vertx, LiveNodes nodes, Catalog catalog, PgMeasuredSpecStore measured) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.catalog = catalog;
    this.measured = measured;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/catalog")).respond(this::list);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    boolean all = "true".equalsIgnoreCase(ctx.queryParams().get("all"));
    return vertx.executeBlocking(catalog::load, false)
        .compose(loaded -> measured.list().map(loaded::withMeasured))
        .compose(loaded -> nodes.all().map(records -> Catalog.forCluster(loaded, records, all)))
        .map(catalog -> Authenticator.principal(ctx).admin() ? catalog : userView(catalog));
  }

  /**
   * What a plain user reads: every spec without the fields of a model only admins read ({@link ModelSpecs#ADMIN_FIELDS},
   * engine environment, flags, commands and paths), in its model, its grid and a measured spec's winning values,
   * as of a deployed model; a measured spec's model is an admin's model form. Where a family or a catalog source
   * came from is named by its kind only (shipped, file, url, measured): the node's file paths, catalog URLs and
   * their read errors are the operator's.
   */
  static JsonObject userView(JsonObject catalog) {
    if (catalog.getValue("sources") instanceof JsonArray sources) {
      sources.forEach(item -> {
        JsonObject source = (JsonObject) item;
        source.put("source", kind(source.getString("source")));
        if (source.containsKey("error")) {
          source.put("error", "this catalog source could not be read; an administrator sees which one and why");
        }
      });
    }
    catalog.getJsonArray("items").forEach(family -> ((JsonObject) family).put("source",
        kind(((JsonObject) family).getString("source"))));
    catalog.getJsonArray("items").forEach(family -> ((JsonObject) family).getJsonArray("specs").forEach(item -> {
      JsonObject spec = (JsonObject) item;
      withoutAdminFields(spec.getValue("model"));
      withoutAdminFields(spec.getValue("grid"));
      if (spec.getValue("figures") instanceof JsonObject figures) {
        withoutAdminFields(figures.getValue("values"));
      }
    }));
    return catalog;
  }

  static String kind(String source) {
    if (source == null || source.equals("measured")) {
      return source;
    }
    return source.startsWith("shipped:") ? "shipped" : source.startsWith("http://") || source.startsWith("https://")
        ? "url" : "file";
  }

  private static void withoutAdminFields(Object value) {
    if (value instanceof JsonObject fields) {
      ModelSpecs.ADMIN_FIELDS.forEach(fields::remove);
    }
  }
}
