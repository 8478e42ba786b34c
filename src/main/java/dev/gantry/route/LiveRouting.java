package dev.gantry.route;

import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.LocalMirror;
import dev.gantry.cluster.SharedMap;
import dev.gantry.cluster.SharedMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The one owner of {@code gantry.routes} and {@code gantry.providers}: the stored routes and providers
 * (credentials sealed) mirrored by name, so that the data plane routes without the database. Only the
 * /v2 API writes them, after PostgreSQL; every node copies the stored ones in at start.
 */
public final class LiveRouting {

  private final Vertx vertx;
  private final SharedMap routes;
  private final SharedMap providers;

  public LiveRouting(SharedMaps maps) {
    this.vertx = maps.vertx();
    this.routes = maps.map(ClusterMaps.ROUTES);
    this.providers = maps.map(ClusterMaps.PROVIDERS);
  }

  public Future<JsonObject> route(String name) {
    return routes.get(name).map(LiveRouting::decode);
  }

  public Future<JsonObject> provider(String name) {
    return providers.get(name).map(LiveRouting::decode);
  }

  public Future<JsonObject> putRoute(JsonObject route) {
    return routes.set(route.getString("name"), route.encode()).map(route);
  }

  public Future<JsonObject> putProvider(JsonObject provider) {
    return providers.set(provider.getString("name"), provider.encode()).map(provider);
  }

  public Future<Void> removeRoute(String name) {
    return routes.remove(name).mapEmpty();
  }

  public Future<Void> removeProvider(String name) {
    return providers.remove(name).mapEmpty();
  }

  /** Copies every stored route and provider in (each node at start; idempotent). */
  public Future<Void> putAll(List<JsonObject> storedRoutes, List<JsonObject> storedProviders) {
    return vertx.executeBlocking(() -> {
      storedProviders.forEach(p -> providers.setBlocking(p.getString("name"), p.encode()));
      storedRoutes.forEach(r -> routes.setBlocking(r.getString("name"), r.encode()));
      return null;
    }, false);
  }

  public Future<SharedMap.Listening> listenRoutes(BiConsumer<SharedMap.ChangeType, JsonObject> sink) {
    return routes.listen(change -> sink.accept(change.type(), decode(change.value())));
  }

  public Future<SharedMap.Listening> listenProviders(BiConsumer<SharedMap.ChangeType, JsonObject> sink) {
    return providers.listen(change -> sink.accept(change.type(), decode(change.value())));
  }

  /** Local copies for the data plane (start them from a worker). */
  public LocalMirror<Route> routeMirror(Runnable onChange) {
    return LocalMirror.of(routes, raw -> Route.from(new JsonObject(raw)), onChange);
  }

  public LocalMirror<Provider> providerMirror(Runnable onChange) {
    return LocalMirror.of(providers, raw -> Provider.from(new JsonObject(raw)), onChange);
  }

  private static JsonObject decode(String raw) {
    return raw == null ? null : new JsonObject(raw);
  }
}
