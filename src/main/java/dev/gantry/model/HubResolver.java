package dev.gantry.model;

import dev.gantry.cluster.SecretBox;
import dev.gantry.common.ApiException;
import dev.gantry.hub.HubEstimate;
import dev.gantry.hub.HubEstimator;
import dev.gantry.hub.HubException;
import dev.gantry.hub.HubHttp;
import dev.gantry.hub.HubRequest;
import dev.gantry.hub.HubSnapshot;
import dev.gantry.hub.ModelHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pins a hub model before anything is placed: seals the token a request gives ({@code hub_token}, never
 * stored in clear), asks the hub for the revision's commit and files and keeps them in the spec's
 * {@code resolved} (every node then downloads the same commit, and a node that holds it needs no hub).
 * An unknown repo or revision, a gated repo, a refused token answer 404/403/400 naming the hub.
 */
public final class HubResolver {

  /** The fields whose change makes a stored hub model resolve again. */
  static final Set<String> SOURCE_FIELDS = Set.of("source", "repo", "revision", "file", "hub_endpoint", "hub_token");

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HubResolver.class);

  private final Vertx vertx;
  private final SecretBox box;
  private final Map<String, String> environment;
  private final HubHttp http = new HubHttp();

  public HubResolver(Vertx vertx, SecretBox box, Map<String, String> environment) {
    this.vertx = vertx;
    this.box = box;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The spec to store: for a hub source, with the token sealed and {@code resolved} filled in; others unchanged.
   * {@code token}: the {@code hub_token} the request gave (null: keep the sealed one the spec has).
   */
  public Future<JsonObject> resolve(JsonObject spec, String token) {
    if (!HubSources.isHub(spec)) {
      if (token != null) {
        return Future.failedFuture(ApiException.badRequest("hub_token is for sources huggingface and modelscope; this"
            + " model's source is '" + spec.getString("source") + "'"));
      }
      spec.remove(HubSources.SEALED_TOKEN);
      spec.remove("resolved");
      return Future.succeededFuture(spec);
    }
    if (token != null) {
      spec.put(HubSources.SEALED_TOKEN, box.seal(HubSources.TOKEN_PURPOSE, token));
    }
    String opened = openToken(spec);
    HubRequest request = HubRequest.of(spec, environment, opened);
    return vertx.executeBlocking(() -> ModelHub.snapshot(ModelHub.of(request.kind(), http), request), false)
        .recover(e -> Future.failedFuture(e instanceof HubException h ? toApi(h)
            : e instanceof IOException ? ApiException.unavailable(request.hubName() + ": " + e.getMessage()) : e))
        .compose(snapshot -> checkBackend(spec, snapshot))
        .compose(snapshot -> estimate(spec, snapshot, opened).map(estimate -> {
          JsonObject resolved = snapshot.toJson();
          estimate.ifPresent(e -> resolved.put("estimate", e.toJson()));
          return spec.put("resolved", resolved);
        }));
  }

  /**
   * The safetensors estimate of a snapshot (weights, KV cache at the spec's {@code context_length}, the
   * backend's share); empty for GGUF and for repos whose headers cannot be read (the files' size is used then).
   */
  public Future<Optional<HubEstimate>> estimate(JsonObject spec, HubSnapshot snapshot, String token) {
    List<String> parameters = spec.getJsonArray("backend_parameters", new JsonArray()).stream().map(String::valueOf).toList();
    return vertx.executeBlocking(() -> {
      try {
        return new HubEstimator(http).estimate(snapshot, token, spec.getLong("context_length", 0L),
            spec.getString("backend"), parameters);
      } catch (IOException e) {
        LOG.info("no estimate from safetensors headers [repo: {}, cause: {}]", snapshot.repo(), e.getMessage());
        return Optional.<HubEstimate>empty();
      }
    }, false);
  }

  /** The model's hub token in clear, for a download on a node; null when it has none. */
  public String openToken(JsonObject spec) {
    String sealed = spec.getString(HubSources.SEALED_TOKEN);
    return sealed == null ? null : box.open(HubSources.TOKEN_PURPOSE, sealed);
  }

  private static Future<HubSnapshot> checkBackend(JsonObject spec, HubSnapshot snapshot) {
    String backend = spec.getString("backend");
    if (("builtin".equals(backend) || "llama.cpp".equals(backend)) && snapshot.mainFile() == null) {
      return Future.failedFuture(ApiException.badRequest("backend '" + backend + "' serves GGUF files, and 'file' matches"
          + " none in " + snapshot.repo()));
    }
    return Future.succeededFuture(snapshot);
  }

  static ApiException toApi(HubException e) {
    return switch (e.status()) {
      case 404 -> ApiException.notFound(e.getMessage());
      case 403 -> ApiException.forbidden(e.getMessage());
      case 400 -> ApiException.badRequest(e.getMessage());
      default -> new ApiException(502, "BadGateway", e.getMessage());
    };
  }
}
