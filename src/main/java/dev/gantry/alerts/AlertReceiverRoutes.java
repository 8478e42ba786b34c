package dev.gantry.alerts;

import dev.gantry.api.RequestValidator;
import dev.gantry.auth.Access;
import dev.gantry.cluster.SecretBox;
import dev.gantry.common.ApiException;
import dev.gantry.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code /v2/alert-receivers}: the webhooks alert transitions are posted to (admins only). The URL is
 * write-only: sealed before it is stored or shared ({@link AlertReceiver}), answered as its host alone.
 */
public final class AlertReceiverRoutes {

  private final PgAlertStore store;
  private final ClusterAlerts state;
  private final SecretBox box;
  private final RequestValidator validator;

  public AlertReceiverRoutes(PgAlertStore store, ClusterAlerts state, SecretBox box, RequestValidator validator) {
    this.store = store;
    this.state = state;
    this.box = box;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/alert-receivers")).respond(ctx -> state.receivers()
        .map(all -> new JsonObject().put("items", all.stream().map(AlertReceiver::publicView).toList())));
    Access.ADMIN.on(router.post("/v2/alert-receivers")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/alert-receivers/:id")).respond(ctx -> find(ctx.pathParam("id"))
        .map(AlertReceiver::publicView));
    Access.ADMIN.on(router.patch("/v2/alert-receivers/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/alert-receivers/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(r -> store.deleteReceiver(r.id()).compose(v -> state.removeReceiver(r.id())))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "AlertReceiverCreate");
    String url = body.getString("url");
    AlertReceiver receiver = new AlertReceiver("w-" + Ids.random(10), body.getString("name"),
        body.getString("format", WebhookPayloads.JSON), body.getBoolean("enabled", true),
        box.seal(AlertReceiver.PURPOSE, url), host(url));
    return store.createReceiver(receiver).compose(saved -> state.putReceiver(saved).map(saved.publicView()))
        .onSuccess(v -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "AlertReceiverUpdate");
    String url = body.getString("url");
    String host = url == null ? null : host(url);
    return find(ctx.pathParam("id")).map(r -> new AlertReceiver(r.id(), body.getString("name", r.name()),
            body.getString("format", r.format()), body.getBoolean("enabled", r.enabled()),
            url == null ? r.urlSealed() : box.seal(AlertReceiver.PURPOSE, url), host == null ? r.urlHost() : host))
        .compose(store::updateReceiver)
        .compose(saved -> saved == null ? Future.failedFuture(notFound(ctx.pathParam("id")))
            : state.putReceiver(saved).map(saved.publicView()));
  }

  /** The host of an absolute http(s) URL; a 400 naming {@code url} for anything else. */
  static String host(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw ApiException.badRequest("url: must be an absolute http:// or https:// URL, e.g. "
            + "https://hooks.slack.com/services/...");
      }
      return uri.getHost();
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("url: not a URL (" + e.getReason() + ")");
    }
  }

  private Future<AlertReceiver> find(String id) {
    return state.receiver(id).compose(r -> r == null ? Future.failedFuture(notFound(id)) : Future.succeededFuture(r));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no alert receiver with id '" + id + "'; GET /v2/alert-receivers lists them");
  }
}
