package dev.gantry.model;

import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code /v2/model-files}: the files in every node's model cache (node, source, repo, commit, path, size,
 * complete or partial, and which models use them), asked of each node over the event bus; and deleting
 * one, which its node refuses while a replica there uses it. A file's id is base64url of
 * {@code <node>/<path in the cache>}.
 */
public final class ModelFileRoutes {

  static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final LiveNodes nodes;
  private final LiveModels models;

  public ModelFileRoutes(Vertx vertx, LiveNodes nodes, LiveModels models) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.models = models;
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/model-files")).respond(ctx -> list());
    Access.ADMIN.on(router.delete("/v2/model-files/:id")).handler(ctx -> delete(ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private Future<JsonObject> list() {
    return Future.all(nodes.all(), models.all()).compose(state -> {
      List<NodeRecord> live = state.<List<NodeRecord>>resultAt(0).stream()
          .filter(n -> n.state() != NodeState.UNREACHABLE && n.state() != NodeState.STOPPED).toList();
      List<JsonObject> all = state.resultAt(1);
      List<Future<JsonArray>> asks = live.stream().map(n -> ask(n.name(), new JsonObject().put("op", "list"))
          .map(reply -> reply.getJsonArray("items")).otherwise(new JsonArray())).toList();
      return Future.all(asks).map(done -> {
        List<JsonObject> items = new ArrayList<>();
        asks.forEach(ask -> ask.result().forEach(item -> items.add(view((JsonObject) item, all))));
        return new JsonObject().put("items", new JsonArray(items));
      });
    });
  }

  private static JsonObject view(JsonObject item, List<JsonObject> models) {
    String node = item.getString("node_name");
    JsonArray users = new JsonArray();
    for (JsonObject model : models) {
      JsonObject resolved = model.getJsonObject("resolved");
      if (resolved != null && item.getString("source").equals(resolved.getString("source"))
          && item.getString("repo").equals(resolved.getString("repo"))
          && item.getString("commit").equals(resolved.getString("commit"))
          && resolved.getJsonArray("files").stream().anyMatch(f -> item.getString("path").equals(((JsonObject) f).getString("path")))) {
        users.add(model.getString("name"));
      }
    }
    String relative = (String) item.remove("relative_path");
    return item.put("id", encode(node + "/" + relative)).put("models", users);
  }

  private Future<Void> delete(String id) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.notFound("no model file with id '" + id + "'"));
    }
    int slash = decoded.indexOf('/');
    if (slash <= 0 || decoded.contains("..")) {
      return Future.failedFuture(ApiException.notFound("no model file with id '" + id + "'"));
    }
    return ask(decoded.substring(0, slash), new JsonObject().put("op", "delete")
        .put("relative_path", decoded.substring(slash + 1))).mapEmpty();
  }

  private Future<JsonObject> ask(String node, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.modelFiles(node), request,
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(message -> message.body())
        .recover(err -> Future.failedFuture(err instanceof ReplyException reply && reply.failureCode() == 409
            ? ApiException.conflict(reply.getMessage())
            : err instanceof ReplyException reply && reply.failureCode() == 404 ? ApiException.notFound(reply.getMessage())
            : ApiException.unavailable("node '" + node + "' did not answer about its model files: " + err.getMessage())));
  }

  static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
