package dev.gantry.tuning;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * "Find the best spec": {@code POST /v2/tuning-runs} starts a run (202, state running), {@code GET} lists
 * runs (or watches them, {@code ?watch=true}) and shows one with its candidates, {@code DELETE} cancels a
 * running one or deletes an ended one.
 */
final class TuningRoutes {

  private static final Set<String> SORTABLE = Set.of("created_at", "family", "state");
  private static final List<String> SEARCHABLE = List.of("id", "family", "state");

  private final TuningRuns runs;
  private final PgTuningStore store;
  private final WatchHub hub;
  private final RequestValidator validator;

  TuningRoutes(TuningRuns runs, PgTuningStore store, WatchHub hub, RequestValidator validator) {
    this.runs = runs;
    this.store = store;
    this.hub = hub;
    this.validator = validator;
  }

  void mount(Router router) {
    Access.ADMIN.on(router.post("/v2/tuning-runs")).respond(this::start);
    Access.MANAGEMENT.on(router.get("/v2/tuning-runs")).handler(ctx -> new ListEndpoint(hub, SORTABLE, SEARCHABLE)
        .handle(ctx, store::list, run -> true, viewFor(ctx)));
    Access.MANAGEMENT.on(router.get("/v2/tuning-runs/:id")).respond(ctx -> found(ctx.pathParam("id")).map(viewFor(ctx)));
    Access.ADMIN.on(router.delete("/v2/tuning-runs/:id")).handler(this::delete);
  }

  /** Admins read whole runs; plain users without the model fields only admins read ({@link TuningRunViews}). */
  private static UnaryOperator<JsonObject> viewFor(RoutingContext ctx) {
    return Authenticator.principal(ctx).admin() ? UnaryOperator.identity() : TuningRunViews::userView;
  }

  private Future<JsonObject> start(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "TuningRunCreate");
    return runs.start(Authenticator.principal(ctx), body).map(run -> {
      ctx.response().setStatusCode(202);
      return run;
    });
  }

  private Future<JsonObject> found(String id) {
    return store.get(id).map(run -> {
      if (run == null) {
        throw notFound(id);
      }
      return run;
    });
  }

  /** 204 when an ended run was deleted; 202 with the run when a running one was asked to stop. */
  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.get(id).compose(run -> run == null ? Future.failedFuture(notFound(id))
            : runs.cancelOrDelete(id).compose(v -> store.get(id)))
        .onSuccess(after -> {
          if (after == null) {
            runs.publish("DELETED", new JsonObject().put("id", id));
            ctx.response().setStatusCode(204).end();
          } else {
            runs.publish("UPDATED", after);
            ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(after.encode());
          }
        })
        .onFailure(ctx::fail);
  }

  private static ApiException notFound(String id) {
    return new ApiException(404, "not_found", "tuning run '" + id + "' does not exist; GET /v2/tuning-runs lists them");
  }
}
