package dev.gantry.route;

import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.SecretBox;
import dev.gantry.cluster.SharedMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * Routes and providers, wired: the stored ones copied into the cluster maps, the watch hubs following
 * those maps, the data plane's {@link Routing} mirrors started, and the {@code /v2} routes to mount.
 */
public final class RoutingFeature {

  private final RouteRoutes routeRoutes;
  private final ProviderRoutes providerRoutes;
  private final Routing routing;

  private RoutingFeature(RouteRoutes routeRoutes, ProviderRoutes providerRoutes, Routing routing) {
    this.routeRoutes = routeRoutes;
    this.providerRoutes = providerRoutes;
    this.routing = routing;
  }

  public static Future<RoutingFeature> start(Vertx vertx, SharedMaps maps, Pool pool, SecretBox box, LiveModels models,
      RequestValidator validator) {
    PgSpecStore routes = PgSpecStore.routes(pool);
    PgSpecStore providers = PgSpecStore.providers(pool);
    LiveRouting live = new LiveRouting(maps);
    WatchHub routesHub = new WatchHub("routes", "id");
    WatchHub providersHub = new WatchHub("providers", "id");
    SharedCircuits circuits = new SharedCircuits(vertx);
    Routing routing = new Routing(live, box, System::currentTimeMillis, circuits);
    return Future.all(routes.list(), providers.list())
        .compose(both -> live.putAll(both.resultAt(0), both.resultAt(1)))
        .compose(v -> live.listenRoutes((type, route) -> routesHub.emit(type.name(), route)))
        .compose(v -> live.listenProviders((type, provider) ->
            providersHub.emit(type.name(), ProviderSpecs.publicView(provider))))
        .compose(v -> vertx.executeBlocking(() -> {
          routing.startBlocking();
          return null;
        }, false))
        .compose(v -> circuits.follow(routing))
        .map(v -> new RoutingFeature(new RouteRoutes(routes, providers, live, models, routesHub, validator),
            new ProviderRoutes(providers, routes, live, box, providersHub, validator), routing));
  }

  /** What the gateway routes from. */
  public Routing routing() {
    return routing;
  }

  public void mount(Router router) {
    routeRoutes.mount(router);
    providerRoutes.mount(router);
  }
}
