package dev.gantry.alerts;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/alerts} (list and watch, {@code ?state=firing|pending|resolved}) and {@code /v2/alert-rules}
 * (CRUD; built-in rules can be edited and disabled, not deleted). Admins only: alerts name nodes, replicas
 * and engine messages, and rules decide who gets woken up.
 */
public final class AlertRoutes {

  private static final Set<String> SORTABLE = Set.of("state", "severity", "kind", "started_at", "firing_at", "resolved_at");
  private static final List<String> SEARCHABLE = List.of("message", "kind", "rule_id");
  private static final Set<String> STATES = Set.of("pending", "firing", "resolved");
  private static final List<Alert.State> SHOWN_ORDER = List.of(Alert.State.FIRING, Alert.State.PENDING, Alert.State.RESOLVED);

  private final PgAlertStore store;
  private final ClusterAlerts state;
  private final WatchHub hub;
  private final RequestValidator validator;

  public AlertRoutes(PgAlertStore store, ClusterAlerts state, WatchHub hub, RequestValidator validator) {
    this.store = store;
    this.state = state;
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/alerts")).handler(this::list);
    Access.ADMIN.on(router.get("/v2/alert-rules")).respond(ctx -> state.rules()
        .map(rules -> new JsonObject().put("items", rules.stream().map(AlertRule::toJson).toList())));
    Access.ADMIN.on(router.post("/v2/alert-rules")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/alert-rules/:id")).respond(ctx -> find(ctx.pathParam("id")).map(AlertRule::toJson));
    Access.ADMIN.on(router.patch("/v2/alert-rules/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/alert-rules/:id")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    String wanted = ctx.request().getParam("state");
    if (wanted != null && !STATES.contains(wanted)) {
      throw ApiException.badRequest("state: '" + wanted + "' is not an alert state; use pending, firing or resolved");
    }
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all,
        alert -> wanted == null || wanted.equals(alert.getString("state")));
  }

  /** Firing first, then pending, then resolved; newest first within each. */
  private Future<List<JsonObject>> all() {
    return state.alerts().map(alerts -> alerts.values().stream()
        .sorted(Comparator.comparing((Alert a) -> SHOWN_ORDER.indexOf(a.state()))
            .thenComparing(Alert::startedAt, Comparator.reverseOrder()))
        .map(Alert::toJson).toList());
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    AlertRule rule = AlertRuleInput.create(validator.body(ctx, "AlertRuleCreate"));
    return store.createRule(rule).compose(saved -> state.putRule(saved).map(saved.toJson()))
        .onSuccess(v -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "AlertRuleUpdate");
    return find(ctx.pathParam("id")).map(existing -> AlertRuleInput.update(existing, body))
        .compose(store::updateRule)
        .compose(saved -> saved == null ? Future.failedFuture(notFound(ctx.pathParam("id")))
            : state.putRule(saved).map(saved.toJson()));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    find(id).compose(rule -> {
      if (rule.builtin()) {
        return Future.failedFuture(ApiException.conflict("alert rule '" + id + "' is built in: it cannot be deleted; "
            + "switch it off with PATCH {\"enabled\": false}"));
      }
      return store.deleteRule(id).compose(v -> state.removeRule(id));
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private Future<AlertRule> find(String id) {
    return state.rule(id).compose(rule -> rule == null ? Future.failedFuture(notFound(id)) : Future.succeededFuture(rule));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no alert rule with id '" + id + "'; GET /v2/alert-rules lists them");
  }
}
