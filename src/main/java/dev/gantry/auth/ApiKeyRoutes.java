package dev.gantry.auth;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.common.ApiException;
import dev.gantry.limits.Limits;
import dev.gantry.limits.QuotaLedger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/api-keys}: the full key is answered once, at creation, in {@code value}; afterwards only
 * a masked value. Users see their own keys; admins see all. A request made with a key creates only keys
 * within that key ({@link KeySubset}).
 */
public final class ApiKeyRoutes {

  private static final Set<String> SORTABLE = Set.of("name", "created_at", "expires_at", "scope", "username");
  private static final List<String> SEARCHABLE = List.of("name", "description", "username");

  private final PgApiKeyStore keys;
  private final AccountDirectory directory;
  private final WatchHub hub;
  private final RequestValidator validator;
  private final QuotaLedger ledger;

  public ApiKeyRoutes(PgApiKeyStore keys, AccountDirectory directory, WatchHub hub, RequestValidator validator,
      QuotaLedger ledger) {
    this.ledger = ledger;
    this.keys = keys;
    this.directory = directory;
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/api-keys")).handler(this::list);
    Access.MANAGEMENT.on(router.post("/v2/api-keys")).respond(this::create);
    Access.MANAGEMENT.on(router.get("/v2/api-keys/:id")).respond(ctx -> owned(ctx).map(this::withQuota));
    Access.ADMIN.on(router.patch("/v2/api-keys/:id")).respond(this::setLimits);
    Access.MANAGEMENT.on(router.delete("/v2/api-keys/:id")).handler(ctx -> owned(ctx)
        .compose(key -> keys.delete(key.getString("id")))
        .compose(v -> directory.removeKey(ctx.pathParam("id")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  /** The key's public view with its {@code quota} (what its own limits allow and it used). */
  private JsonObject withQuota(JsonObject key) {
    return PgApiKeyStore.publicView(key).put("quota", ledger.view("k:" + key.getString("id"),
        Limits.of(key.getJsonObject("limits"))));
  }

  /** An admin sets ({@code {"limits": {...}}}) or removes ({@code {"limits": null}}) a key's limits. */
  private Future<JsonObject> setLimits(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "ApiKeyUpdate");
    Limits.parse(body.getJsonObject("limits"), "limits");
    String id = ctx.pathParam("id");
    return keys.setLimits(id, body.getJsonObject("limits"))
        .compose(key -> key == null ? Future.failedFuture(ApiException.notFound("no API key with id '" + id + "'"))
            : directory.putKey(key).map(key))
        .map(this::withQuota);
  }

  private void list(RoutingContext ctx) {
    Principal me = Authenticator.principal(ctx);
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all,
        key -> me.admin() || key.getLong("user_id") == me.userId());
  }

  private Future<List<JsonObject>> all() {
    return keys.list().map(all -> all.stream().map(PgApiKeyStore::publicView).toList());
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "ApiKeyCreate");
    Limits.parse(body.getJsonObject("limits"), "limits");
    Principal me = Authenticator.principal(ctx);
    ApiKeySecrets.Generated generated = ApiKeySecrets.generate();
    Long expiresIn = body.getLong("expires_in");
    OffsetDateTime expiresAt = expiresIn == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(expiresIn);
    body.put("id", generated.publicId());
    return withinCallersKey(me, body, expiresAt)
        .compose(v -> keys.create(me.userId(), body, ApiKeySecrets.hash(generated.secret()),
            ApiKeySecrets.hint(generated.secret()), expiresAt))
        .compose(record -> directory.putKey(record).map(record))
        .map(record -> {
          ctx.response().setStatusCode(201);
          return PgApiKeyStore.publicView(record).put("value", generated.value());
        });
  }

  /** A caller signed in with a key may only create a key within it ({@link KeySubset}); 403 otherwise. */
  private Future<Void> withinCallersKey(Principal me, JsonObject body, OffsetDateTime expiresAt) {
    if (!me.viaApiKey()) {
      return Future.succeededFuture();
    }
    JsonArray models = body.getJsonArray("allowed_models");
    KeySubset.Limits wanted = new KeySubset.Limits(body.getString("scope", "*"),
        models == null ? null : models.stream().map(String::valueOf).toList(), expiresAt);
    return directory.key(me.keyId()).compose(key -> {
      if (key == null) {
        return Future.failedFuture(ApiException.unauthorized("this API key was revoked meanwhile"));
      }
      String expires = key.getString("expires_at");
      KeySubset.Limits caller = new KeySubset.Limits(key.getString("scope"), me.allowedModels(),
          expires == null ? null : OffsetDateTime.parse(expires));
      String refusal = KeySubset.refusal(caller, wanted);
      return refusal == null ? Future.succeededFuture() : Future.failedFuture(ApiException.forbidden(refusal));
    });
  }

  /** The key, when the caller owns it or is an admin; otherwise 404 (another user's key does not exist for you). */
  private Future<JsonObject> owned(RoutingContext ctx) {
    Principal me = Authenticator.principal(ctx);
    String id = ctx.pathParam("id");
    return keys.get(id).compose(key -> key == null || !(me.admin() || key.getLong("user_id") == me.userId())
        ? Future.failedFuture(ApiException.notFound("no API key with id '" + id + "'"))
        : Future.succeededFuture(key));
  }
}
