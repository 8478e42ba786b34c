package dev.gantry.benchmark;

import dev.gantry.api.RequestValidator;
import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.common.ApiException;
import dev.gantry.model.ModelSpecs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.UnaryOperator;

/**
 * The benchmark lab: {@code POST /v2/benchmarks} starts a run (202, state running), {@code GET} lists
 * runs (optionally of one {@code model}) and shows one with its results and per-request series, and
 * {@code DELETE} cancels a running one or deletes an ended one.
 */
public final class BenchmarkRoutes {

  private final Benchmarks benchmarks;
  private final PgBenchmarkStore store;
  private final RequestValidator validator;

  public BenchmarkRoutes(Benchmarks benchmarks, PgBenchmarkStore store, RequestValidator validator) {
    this.benchmarks = benchmarks;
    this.store = store;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.post("/v2/benchmarks")).respond(this::start);
    Access.MANAGEMENT.on(router.get("/v2/benchmarks")).respond(ctx -> store.list(ctx.queryParams().get("model"))
        .map(items -> new JsonObject().put("items", new JsonArray(items.stream().map(viewFor(ctx)).toList()))));
    Access.MANAGEMENT.on(router.get("/v2/benchmarks/:id")).respond(ctx -> found(ctx.pathParam("id")).map(viewFor(ctx)));
    Access.ADMIN.on(router.delete("/v2/benchmarks/:id")).handler(this::delete);
  }

  /**
   * Admins read whole runs; plain users read a run's serving settings ({@code spec}) without the fields of a
   * model only admins read ({@link ModelSpecs#ADMIN_FIELDS}: engine flags and the like).
   */
  private static UnaryOperator<JsonObject> viewFor(RoutingContext ctx) {
    return Authenticator.principal(ctx).admin() ? UnaryOperator.identity() : run -> {
      JsonObject view = run.copy();
      if (view.getValue("spec") instanceof JsonObject spec) {
        ModelSpecs.ADMIN_FIELDS.forEach(spec::remove);
      }
      return view;
    };
  }

  private Future<JsonObject> start(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "BenchmarkCreate");
    return benchmarks.start(Authenticator.principal(ctx), body).map(run -> {
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
            : benchmarks.cancelOrDelete(id).compose(v -> store.get(id)))
        .onSuccess(after -> {
          if (after == null) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(after.encode());
          }
        })
        .onFailure(ctx::fail);
  }

  private static ApiException notFound(String id) {
    return new ApiException(404, "not_found", "benchmark '" + id + "' does not exist; GET /v2/benchmarks lists them");
  }
}
