package dev.gantry;

import dev.gantry.alerts.Alerting;
import dev.gantry.api.BodyLimits;
import dev.gantry.api.GatewayPaths;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.auth.AccountDirectory;
import dev.gantry.auth.ApiKeyRoutes;
import dev.gantry.auth.AuthRoutes;
import dev.gantry.auth.ClientAddress;
import dev.gantry.auth.ClusterSessions;
import dev.gantry.auth.LiveStreams;
import dev.gantry.auth.PasswordHashing;
import dev.gantry.auth.Authenticator;
import dev.gantry.auth.CrossSiteGuard;
import dev.gantry.auth.LoginThrottle;
import dev.gantry.auth.OidcLogin;
import dev.gantry.auth.OidcProvider;
import dev.gantry.auth.PgApiKeyStore;
import dev.gantry.auth.PgUserStore;
import dev.gantry.auth.UserRoutes;
import dev.gantry.auth.GroupRoutes;
import dev.gantry.auth.PgGroupStore;
import dev.gantry.gateway.NameLimitRoutes;
import dev.gantry.limits.PgNameLimitStore;
import dev.gantry.limits.QuotaLedger;
import dev.gantry.config.GantryConfig;
import dev.gantry.gateway.Gateway;
import dev.gantry.gateway.GatewayRoutes;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.ClusterState;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.SharedMaps;
import dev.gantry.health.Readiness;
import dev.gantry.metering.PgUsageStore;
import dev.gantry.metering.UsageRoutes;
import dev.gantry.model.InstanceLogs;
import dev.gantry.model.InstanceRoutes;
import dev.gantry.benchmark.BenchmarkRoutes;
import dev.gantry.benchmark.Benchmarks;
import dev.gantry.benchmark.PgBenchmarkStore;
import dev.gantry.catalog.Catalog;
import dev.gantry.catalog.CatalogRoutes;
import dev.gantry.tuning.TuningFeature;
import dev.gantry.model.ModelRoutes;
import dev.gantry.model.PgModelStore;
import dev.gantry.node.DeviceRoutes;
import dev.gantry.node.InferenceBackendRoutes;
import dev.gantry.node.NodeMetricsRoutes;
import dev.gantry.node.NodeRoutes;
import dev.gantry.node.PgNodeStore;
import dev.gantry.route.RoutingFeature;
import dev.gantry.pool.WorkerPoolRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.function.Consumer;

/** Which routes a node serves and what runs in front of them; shared by every HTTP verticle instance. */
final class Routes {

  private final Authenticator authenticator;
  private final BodyLimits bodyLimits;
  private final CrossSiteGuard crossSite;
  private final boolean metricsHere;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final RequestValidator validator;
  private final AuthRoutes authRoutes;
  private final OidcLogin oidcLogin;
  private final UserRoutes userRoutes;
  private final ApiKeyRoutes keyRoutes;
  private final NodeRoutes nodeRoutes;
  private final NodeMetricsRoutes nodeMetricsRoutes;
  private final dev.gantry.model.history.ModelMetricsRoutes modelMetricsRoutes;
  private final InferenceBackendRoutes inferenceBackendRoutes;
  private final DeviceRoutes deviceRoutes;
  private final ModelRoutes modelRoutes;
  private final dev.gantry.model.ModelFileRoutes modelFileRoutes;
  private final InstanceRoutes instanceRoutes;
  private final GatewayRoutes gatewayRoutes;
  private final UsageRoutes usageRoutes;
  private final RoutingFeature routing;
  private final CatalogRoutes catalogRoutes;
  private final BenchmarkRoutes benchmarkRoutes;
  private final TuningFeature tuning;
  private final Alerting alerting;
  private final GroupRoutes groupRoutes;
  private final NameLimitRoutes nameLimitRoutes;
  private final WorkerPoolRoutes workerPoolRoutes;

  /** The watch streams of this node, one per watchable resource. */
  record Hubs(WatchHub nodes, WatchHub devices, WatchHub users, WatchHub keys, WatchHub models, WatchHub instances) {
  }

  Routes(Vertx vertx, ClusterState cluster, PrometheusMeterRegistry registry, Readiness readiness,
      RequestValidator validator, PgUserStore users, PgApiKeyStore keys, PgNodeStore nodeStore,
      AccountDirectory directory, PgModelStore models, Hubs hubs, Gateway gateway, PgUsageStore usage,
      OidcProvider oidc, GantryConfig config, PgBenchmarkStore benchmarkStore, Alerting alerting, PgGroupStore groups,
      PgNameLimitStore nameLimits, WorkerPoolRoutes workerPoolRoutes, RoutingFeature routing, Catalog catalog,
      TuningFeature tuning) {
    this.routing = routing;
    this.tuning = tuning;
    String externalUrl = config.oidc().externalUrl();
    SharedMaps maps = cluster.maps();
    ClusterSessions sessions = new ClusterSessions(maps.map(ClusterMaps.SESSIONS),
        externalUrl != null && externalUrl.startsWith("https:"), config.clusterSecret());
    LiveStreams streams = new LiveStreams(directory.usersMap(), directory.keysMap(), sessions.map());
    PasswordHashing hashing = new PasswordHashing(vertx);
    this.authenticator = new Authenticator(directory, sessions, streams, config.clusterSecret());
    this.bodyLimits = new BodyLimits(config.inferenceBodyLimit(), ctx -> {
      String path = ctx.normalizedPath();
      return path.startsWith("/v1/") ? Authenticator.principal(ctx) != null
          : path.startsWith(GatewayPaths.RELAY_PREFIX) && Authenticator.clusterCaller(ctx);
    });
    this.crossSite = new CrossSiteGuard(ClusterSessions.COOKIE, externalUrl);
    this.metricsHere = !config.metrics().ownListener();
    List<String> trustedProxies = config.trustedProxies();
    this.registry = registry;
    this.readiness = readiness;
    this.validator = validator;
    this.oidcLogin = new OidcLogin(vertx, maps.map(ClusterMaps.OIDC_LOGINS), oidc, users, directory, sessions);
    LoginThrottle throttle = new LoginThrottle(maps.map(ClusterMaps.LOGIN_FAILURES));
    this.authRoutes = new AuthRoutes(vertx, users, throttle, hashing,
        ClientAddress.trusting(trustedProxies), validator, sessions, oidcLogin);
    QuotaLedger ledger = gateway.admission().ledger();
    this.userRoutes = new UserRoutes(users, keys, directory, hubs.users(), validator, hashing, sessions, throttle, ledger);
    this.keyRoutes = new ApiKeyRoutes(keys, directory, hubs.keys(), validator, ledger);
    this.groupRoutes = new GroupRoutes(groups, directory, validator, ledger);
    this.nameLimitRoutes = new NameLimitRoutes(nameLimits, maps.map(ClusterMaps.NAME_LIMITS), validator,
        config.currency());
    LiveNodes liveNodes = cluster.nodes();
    this.nodeRoutes = new NodeRoutes(vertx, liveNodes, nodeStore, hubs.nodes(), validator);
    this.nodeMetricsRoutes = new NodeMetricsRoutes(vertx, liveNodes);
    this.modelMetricsRoutes = new dev.gantry.model.history.ModelMetricsRoutes(vertx, liveNodes, cluster.models());
    this.inferenceBackendRoutes = new InferenceBackendRoutes(liveNodes);
    this.deviceRoutes = new DeviceRoutes(liveNodes, hubs.devices());
    this.modelRoutes = new ModelRoutes(vertx, cluster.models(), models, hubs.models(), validator,
        maps.map(ClusterMaps.AUTOSCALE_EVENTS), new dev.gantry.model.HubResolver(vertx,
            new dev.gantry.cluster.SecretBox(config.clusterSecret()),
            config.sources().hubEnvironment(System.getenv())), liveNodes);
    this.modelFileRoutes = new dev.gantry.model.ModelFileRoutes(vertx, liveNodes, cluster.models());
    this.instanceRoutes = new InstanceRoutes(vertx, cluster.instances(), hubs.instances(), new InstanceLogs(vertx));
    this.gatewayRoutes = new GatewayRoutes(vertx, gateway);
    this.usageRoutes = new UsageRoutes(usage, config.currency());
    this.catalogRoutes = new CatalogRoutes(vertx, liveNodes, catalog, tuning.measuredSpecs());
    this.benchmarkRoutes = new BenchmarkRoutes(new Benchmarks(vertx, benchmarkStore, keys, directory, cluster.models(),
        cluster.instances(), liveNodes, config.nodeName(), config.host(), config.port()), benchmarkStore, validator);
    this.alerting = alerting;
    this.workerPoolRoutes = workerPoolRoutes;
  }

  /**
   * Who calls, before the body is read (sessions need no handler in front: the authenticator and the sign-in
   * routes read the cookie themselves).
   */
  Handler<RoutingContext> authenticate() {
    return authenticator;
  }

  /**
   * The larger body limit for inference calls from an authenticated caller: a key or a session on {@code /v1},
   * another node (signed) on the relay hop to an engine.
   */
  BodyLimits bodyLimits() {
    return bodyLimits;
  }

  /** Checks that look at the body. */
  List<Handler<RoutingContext>> afterBody() {
    return List.of(crossSite);
  }

  /**
   * Every route of the node. Each declares who may call it ({@link Access}) where it is mounted; the last
   * mount switches off any route that did not (deny by default).
   */
  List<Consumer<Router>> mounts() {
    return List.of(gatewayRoutes::mount, this::operations, authRoutes::mount,
        oidcLogin::mount, this::management, this::console, Access::refuseUndeclared);
  }

  /**
   * The web console: static files from the jar's {@code webroot/}. Browsers revalidate them on every load
   * ({@code no-cache} with Last-Modified), so an upgraded node never leaves an old console behind. The API
   * reference page ({@code /docs/api}) renders {@code /v2/openapi.json} with the console's own modules.
   */
  private void console(Router router) {
    Access.PUBLIC.on(router.get("/docs/api")).handler(ctx -> ctx.response().putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Type", "text/html; charset=utf-8").sendFile("webroot/api-reference.html"));
    Access.PUBLIC.on(router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD))
        .handler(ctx -> {
          ctx.addHeadersEndHandler(v -> ctx.response().headers().set("Cache-Control", "no-cache"));
          ctx.next();
        })
        .handler(StaticHandler.create("webroot").setCachingEnabled(true).setIndexPage("index.html"));
  }

  private void operations(Router router) {
    Access.PUBLIC.on(router.get("/health/live")).handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    Access.PUBLIC.on(router.get("/health/ready")).handler(ctx -> readiness.check().onSuccess(result -> ctx.response()
            .setStatusCode("UP".equals(result.getString("status")) ? 200 : 503)
            .putHeader("Content-Type", "application/json").end(result.encode()))
        .onFailure(ctx::fail));
    if (metricsHere) {
      Access.ADMIN.on(router.get("/metrics")).handler(PrometheusScrapingHandler.create(registry));
    }
  }

  private void management(Router router) {
    Access.PUBLIC.on(router.get("/v2/openapi.json")).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").sendFile("openapi.json"));
    userRoutes.mount(router);
    keyRoutes.mount(router);
    nodeRoutes.mount(router);
    nodeMetricsRoutes.mount(router);
    modelMetricsRoutes.mount(router);
    inferenceBackendRoutes.mount(router);
    deviceRoutes.mount(router);
    modelRoutes.mount(router);
    modelFileRoutes.mount(router);
    instanceRoutes.mount(router);
    usageRoutes.mount(router);
    routing.mount(router);
    catalogRoutes.mount(router);
    benchmarkRoutes.mount(router);
    tuning.mount(router);
    alerting.mount(router, validator);
    groupRoutes.mount(router);
    nameLimitRoutes.mount(router);
    workerPoolRoutes.mount(router);
  }
}
