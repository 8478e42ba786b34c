package dev.gantry;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.alerts.Alerting;
import dev.gantry.api.ApiRouter;
import dev.gantry.api.ApiVerticle;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.AccountDirectory;
import dev.gantry.auth.AdminBootstrap;
import dev.gantry.auth.OidcProvider;
import dev.gantry.auth.PgApiKeyStore;
import dev.gantry.auth.PgUserStore;
import dev.gantry.benchmark.PgBenchmarkStore;
import dev.gantry.catalog.Catalog;
import dev.gantry.catalog.CatalogUrls;
import dev.gantry.auth.PgGroupStore;
import dev.gantry.gateway.NameLimitRoutes;
import dev.gantry.limits.PgNameLimitStore;
import dev.gantry.limits.QuotaSeed;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.ClusterState;
import dev.gantry.cluster.ClusterSecrets;
import dev.gantry.cluster.DeserializationFilter;
import dev.gantry.cluster.EventBusTls;
import dev.gantry.cluster.HazelcastSetup;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.config.GantryConfig;
import dev.gantry.config.ListenPorts;
import dev.gantry.config.SocketTransport;
import dev.gantry.engine.EngineSupervisorVerticle;
import dev.gantry.engine.metrics.EngineMetricsVerticle;
import dev.gantry.gateway.Gateway;
import dev.gantry.health.NodeLivenessVerticle;
import dev.gantry.model.InstanceRoutes;
import dev.gantry.model.ModelRoutes;
import dev.gantry.model.PgModelStore;
import dev.gantry.scheduler.SchedulerVerticle;
import dev.gantry.cluster.SecretBox;
import dev.gantry.route.RoutingFeature;
import dev.gantry.health.Readiness;
import dev.gantry.metering.MeteringVerticle;
import dev.gantry.metering.PgUsageStore;
import dev.gantry.metering.UsageJournal;
import dev.gantry.metrics.GantryVertxMetrics;
import dev.gantry.metrics.MetricsListenerVerticle;
import dev.gantry.metrics.MetricsSetup;
import dev.gantry.node.DeviceRoutes;
import dev.gantry.node.FileCacheFolder;
import dev.gantry.node.GracefulStop;
import dev.gantry.node.LocalWork;
import dev.gantry.scheduler.autoscale.AutoscalerVerticle;
import dev.gantry.node.NodeDrainVerticle;
import dev.gantry.node.MicrometerNodeMetrics;
import dev.gantry.node.NodeAgentVerticle;
import dev.gantry.model.history.ModelHistoryVerticle;
import dev.gantry.node.history.NodeHistoryVerticle;
import dev.gantry.node.NodeWatchThrottle;
import dev.gantry.node.PgNodeStore;
import dev.gantry.cluster.NodeSettings;
import dev.gantry.cluster.SecretBox;
import dev.gantry.pool.CloudProviders;
import dev.gantry.pool.PgWorkerPoolStore;
import dev.gantry.pool.PoolActions;
import dev.gantry.pool.PoolEvents;
import dev.gantry.pool.PoolReconcilerVerticle;
import dev.gantry.pool.PoolTags;
import dev.gantry.pool.WorkerPoolRoutes;
import dev.gantry.store.EmbeddedDatabase;
import dev.gantry.store.Migrations;
import dev.gantry.tuning.TuningFeature;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Route;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: config → embedded or external PostgreSQL → clustered Vert.x (Hazelcast,
 * Micrometer) → migrations under a cluster lock → bootstrap → read models → verticles.
 */
public final class GantryNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GantryNode.class);
  /** Seconds a query waits for a pooled PostgreSQL connection (an unreachable database fails sooner: refused). */
  static final int POOL_WAIT_S = 10;

  private final GantryConfig config;
  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedDatabase embedded;
  private volatile Function<Vertx, Router> routerFactory;
  private Routes routes;
  private GracefulStop gracefulStop;

  private GantryNode(GantryConfig config, Vertx vertx, Pool pool, EmbeddedDatabase embedded) {
    this.config = config;
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
  }

  /** Starts a node and returns when it is ready; throws with a message a person can act on when it cannot. */
  public static GantryNode start(GantryConfig config) throws Exception {
    long started = System.nanoTime();
    DeserializationFilter.install();
    Transport transport = config.socketTransport().resolve();
    ListenPorts.checkFree(config);
    config = config.withClusterSecret(ClusterSecrets.resolve(config.clusterSecret(), config.dataDir(), config.host(),
        config.clusterPort(), !config.join().isEmpty()));
    EmbeddedDatabase embedded = null;
    if (config.embeddedDatabase()) {
      embedded = EmbeddedDatabase.start(config.dataDir(), config.embeddedDbPort());
      config = config.withDbUrl(embedded.url().toUrl());
      LOG.info("other nodes on this host can share this database with --db-url {} --db-password-file {}",
          embedded.url().display(), embedded.passwordFile());
    }
    DatabaseUrl db = DatabaseUrl.parse(config.dbUrl());
    PrometheusMeterRegistry registry = MetricsSetup.registry(config.nodeName());
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(
        HazelcastSetup.memberConfig(config.clusterSecret().clusterName(), config.host(), config.clusterPort(), config.join()));
    VertxOptions options = new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions())
        .setFileSystemOptions(new FileSystemOptions().setFileCacheDir(FileCacheFolder.prepared(config.dataDir()).toString()));
    EventBusTls.of(config.clusterSecret()).applyTo(options.getEventBusOptions())
        .setHost(config.host()).setClusterPublicHost(config.host());
    Vertx vertx = Vertx.builder().with(options).withTransport(transport).withClusterManager(clusterManager)
        .withMetrics(GantryVertxMetrics.factory(registry)).buildClustered().await();
    // a connection may take seconds to open on a busy host (three nodes starting at once): 3 s failed starts
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(16).setConnectionTimeout(POOL_WAIT_S)
            .setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .connectingTo(db.connectOptions()).using(vertx).build();
    if (transport == Transport.NIO && Transport.EPOLL.unavailabilityCause() != null) {
      LOG.info("sockets use Java NIO: no native transport for this platform [cause: {}]",
          Transport.EPOLL.unavailabilityCause().getMessage());
    } else {
      LOG.info("sockets use {}", SocketTransport.label(transport));
    }
    GantryNode node = new GantryNode(config, vertx, pool, embedded);
    try {
      node.boot(clusterManager.getHazelcastInstance(), db, registry);
    } catch (Exception e) {
      node.close();
      throw e;
    }
    LOG.info("gantry node ready [name: {}] [http: {}:{}] [cluster: {}:{}] [ms: {}]", config.nodeName(), config.host(),
        config.port(), config.host(), config.clusterPort(), (System.nanoTime() - started) / 1_000_000);
    return node;
  }

  private void boot(HazelcastInstance hazelcast, DatabaseUrl db, PrometheusMeterRegistry registry) {
    try {
      Migrations.apply(vertx, db).await();
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the database at " + db.display() + ": " + rootMessage(e), e);
    }
    PgUserStore users = new PgUserStore(pool);
    PgApiKeyStore keys = new PgApiKeyStore(pool);
    PgNodeStore nodeStore = new PgNodeStore(pool);
    ClusterState cluster = ClusterState.of(vertx, hazelcast);
    AccountDirectory directory = new AccountDirectory(cluster.maps());
    AdminBootstrap.ensureAdmin(vertx, users, config.dataDir(), config.bootstrapPassword()).await();
    directory.load(users, keys).await();
    PgGroupStore groups = new PgGroupStore(pool);
    directory.loadGroups(vertx, groups).await();
    PgNameLimitStore nameLimits = new PgNameLimitStore(pool);
    NameLimitRoutes.load(nameLimits, cluster.maps().map(ClusterMaps.NAME_LIMITS)).await();
    AdminBootstrap.forgetPasswordFileOnceChanged(vertx, directory, config.dataDir());
    PgModelStore models = new PgModelStore(pool);
    ModelRoutes.load(models, cluster.models()).await();

    LiveNodes liveNodes = cluster.nodes();
    Membership membership = cluster.membership();
    WatchHub nodesHub = new WatchHub("nodes", "name");
    NodeWatchThrottle nodeChanges = NodeWatchThrottle.of(vertx, (type, record) -> nodesHub.emit(type, record.toJson()));
    liveNodes.listen((type, record) -> nodeChanges.accept(type.name(), record)).await();
    WatchHub usersHub = new WatchHub("users", "id");
    directory.usersMap().listen(change -> usersHub.emit(change.type().name(), new JsonObject(change.value()))).await();
    WatchHub keysHub = new WatchHub("api-keys", "id");
    directory.keysMap().listen(change -> keysHub.emit(change.type().name(),
        PgApiKeyStore.publicView(new JsonObject(change.value())))).await();
    WatchHub modelsHub = new WatchHub("models", "id");
    cluster.models().listen((type, model) -> modelsHub.emit(type.name(), model)).await();
    WatchHub instancesHub = new WatchHub("model-instances", "id");
    cluster.instances().listen((type, instance) -> instancesHub.emit(type.name(), InstanceRoutes.publicView(instance)))
        .await();

    Readiness readiness = new Readiness(pool, membership);
    RequestValidator validator = new RequestValidator(new JsonObject(vertx.fileSystem().readFileBlocking("openapi.json")));
    UsageJournal journal = UsageJournal.open(config.dataDir().resolve("usage-journal"), UsageJournal.DEFAULT_MAX_BYTES);
    RoutingFeature routing = RoutingFeature.start(vertx, cluster.maps(), pool, new SecretBox(config.clusterSecret()),
        cluster.models(), validator).await();
    Gateway gateway = Gateway.create(cluster.maps(), cluster.models(), cluster.instances(), registry, config.nodeName(), config.clusterSecret(), journal,
        config.quotaZone(), config.currency(), routing.routing());
    PgUsageStore usage = new PgUsageStore(pool);
    PgBenchmarkStore benchmarkStore = new PgBenchmarkStore(pool);
    benchmarkStore.orphaned(config.nodeName()).await();
    OidcProvider oidc = new OidcProvider(vertx, config.oidc());
    oidc.start().await();
    Alerting alerting = Alerting.start(cluster, config.nodeName(), pool, config.clusterSecret(), registry).await();
    CatalogUrls catalogUrls = new CatalogUrls(vertx, config.sources().catalogUrls(), config.sources().catalogRefresh());
    catalogUrls.start().await();
    Catalog catalog = new Catalog(config.dataDir().resolve("catalog.d"), catalogUrls);
    TuningFeature tuning = TuningFeature.start(vertx, pool, catalog, keys, directory, validator,
        new TuningFeature.Node(config.nodeName(), config.host(), config.port()),
        new TuningFeature.Cluster(liveNodes, membership),
        name -> cluster.models().get(name).compose(model -> model == null ? Future.succeededFuture()
            : models.delete(model.getLong("id")).compose(d -> cluster.models().remove(name)))).await();
    routes = new Routes(vertx, cluster, registry, readiness, validator, users, keys, nodeStore, directory,
        models, new Routes.Hubs(nodesHub, DeviceRoutes.hub(vertx, liveNodes).await(), usersHub, keysHub, modelsHub, instancesHub),
        gateway, usage, oidc, config, benchmarkStore, alerting, groups, nameLimits, workerPools(cluster, validator),
        routing, catalog, tuning);
    AtomicInteger connections = new AtomicInteger();
    Future.all(vertx.deployVerticle(gateway.verticle()),
        vertx.deployVerticle(new MeteringVerticle(usage, journal, config.dataDir(), registry))).await();
    QuotaSeed.seedIfEmpty(vertx, pool, gateway.admission().ledger(), gateway.admission().ledger().calendar(),
        user -> directory.entitlements().groupsOf(user).stream().map(group -> group.getLong("id")).toList()).await();
    routerFactory = v -> ApiRouter.create(v, routes.authenticate(), routes.bodyLimits(), routes.afterBody(), routes.mounts());
    EngineSupervisorVerticle engines = new EngineSupervisorVerticle(config, cluster.instances(), cluster.models(), membership);
    NodeHistoryVerticle history = new NodeHistoryVerticle(config.nodeName(), config.dataDir());
    vertx.deployVerticle(history).await();
    vertx.deployVerticle(new ModelHistoryVerticle(config.nodeName(), config.dataDir(), registry, cluster.models())).await();
    MicrometerNodeMetrics nodeMetrics = new MicrometerNodeMetrics(registry, config.nodeName());
    Future<String> agent = vertx.deployVerticle(
        new NodeAgentVerticle(config, liveNodes, membership, nodeStore, readiness::problem, version(), sample -> {
          nodeMetrics.update(sample);
          history.record(sample.epochMs(), sample.series());
        }));
    gracefulStop = new GracefulStop(config.nodeName(), liveNodes, cluster.models(), cluster.instances(),
        localWork(engines, gateway), readiness, () -> agent.compose(vertx::undeploy));
    Future.all(List.of(
        agent,
        vertx.deployVerticle(new NodeLivenessVerticle(liveNodes, membership, config.nodeExpiry())),
        vertx.deployVerticle(new SchedulerVerticle(cluster.models(), cluster.instances(), liveNodes, membership,
            config.rescheduleGrace())),
        vertx.deployVerticle(engines),
        vertx.deployVerticle(new EngineMetricsVerticle(registry, cluster.maps().map(ClusterMaps.ENGINE_LOAD),
            config.nodeName(), engines::scrapeTargets)),
        vertx.deployVerticle(new AutoscalerVerticle(
            (model, replicas) -> ModelRoutes.scale(models, cluster.models(), model, replicas), cluster.models(),
            cluster.instances(),
            cluster.maps().map(ClusterMaps.MODEL_DEMAND), cluster.maps().map(ClusterMaps.AUTOSCALE_EVENTS),
            cluster.maps().map(ClusterMaps.ENGINE_LOAD), membership, gateway::inFlightCluster)),
        vertx.deployVerticle(alerting.verticle()),
        vertx.deployVerticle(poolReconciler(cluster, nodeStore)),
        vertx.deployVerticle(new NodeDrainVerticle(config.nodeName(), liveNodes, cluster.models(), cluster.instances(),
            gateway::inFlightTo, config.stopTimeout())),
        vertx.deployVerticle(() -> new ApiVerticle(config.host(), config.port(), routerFactory, connections),
            new DeploymentOptions().setInstances(config.httpInstances())),
        config.metrics().ownListener()
            ? vertx.deployVerticle(new MetricsListenerVerticle(registry, config.metrics().host(), config.metrics().port()))
            : Future.succeededFuture()
    )).await();
    readiness.markDeployed();
  }

  private WorkerPoolRoutes workerPools(ClusterState cluster, RequestValidator validator) {
    return new WorkerPoolRoutes(new PgWorkerPoolStore(pool), new SecretBox(config.clusterSecret()),
        new CloudProviders(vertx), new PoolTags(config.clusterSecret()),
        cluster.maps().map(ClusterMaps.POOL_STATUS), cluster.maps().map(ClusterMaps.POOL_EVENTS), validator);
  }

  /** The leader's worker pool reconciler; it drains a pool's idle node as {@code PATCH /v2/nodes/{name} {"drain":true}} does. */
  private PoolReconcilerVerticle poolReconciler(ClusterState cluster, PgNodeStore nodeStore) {
    LiveNodes liveNodes = cluster.nodes();
    PoolReconcilerVerticle.NodeControl control = new PoolReconcilerVerticle.NodeControl() {
      @Override
      public Future<?> drain(String node) {
        return nodeStore.update(node, null, true, true).compose(saved -> saved == null ? Future.succeededFuture()
            : liveNodes.shareSettings(node, NodeSettings.fromJson(saved))
                .compose(v -> liveNodes.update(node, record -> record.withSettings(NodeSettings.fromJson(saved)))));
      }

      @Override
      public Future<?> forget(String node) {
        return nodeStore.delete(node).compose(v -> liveNodes.forget(node));
      }
    };
    PgWorkerPoolStore store = new PgWorkerPoolStore(pool);
    PoolTags tags = new PoolTags(config.clusterSecret());
    PoolActions actions = new PoolActions(new PoolEvents(cluster.maps().map(ClusterMaps.POOL_EVENTS)), control, store,
        cluster.maps().map(ClusterMaps.POOL_STATUS), tags, config.clusterSecret().forNewNode(), DatabaseUrl.parse(config.dbUrl()));
    return new PoolReconcilerVerticle(store, new SecretBox(config.clusterSecret()), new CloudProviders(vertx),
        tags, liveNodes, cluster.instances(), cluster.models(), cluster.membership(),
        cluster.maps().map(ClusterMaps.POOL_STATUS), actions, Long.getLong("gantry.pool.tick-ms", 5_000));
  }

  private static LocalWork localWork(EngineSupervisorVerticle engines, Gateway gateway) {
    return new LocalWork() {
      @Override
      public void quiesce() {
        engines.quiesce();
      }

      @Override
      public Future<Integer> stopEngines() {
        return engines.stopEngines();
      }

      @Override
      public int inFlightTo(String instanceId) {
        return gateway.inFlightTo(instanceId);
      }

      @Override
      public int inFlight() {
        return gateway.inFlight();
      }
    };
  }

  /**
   * The routes of a router built like the ones this node serves (same mounts, same {@code Access} rules):
   * the node's route table, for the test that checks every route's rule.
   */
  public List<Route> routeTable() {
    return ApiRouter.create(vertx, routes.authenticate(), routes.bodyLimits(), routes.afterBody(), routes.mounts()).getRoutes();
  }

  public Vertx vertx() {
    return vertx;
  }

  public GantryConfig config() {
    return config;
  }

  /** A fresh router like the ones the HTTP verticles serve, to list what this node serves (tests, tools). */
  public Router router() {
    return routerFactory.apply(vertx);
  }

  /**
   * Stops gracefully ({@link GracefulStop}: replicas move to other nodes, requests in flight finish, the
   * node is listed as {@code stopped}), then leaves the cluster, closes the database pool and stops an
   * embedded PostgreSQL.
   */
  @Override
  public void close() {
    if (gracefulStop != null) {
      try {
        gracefulStop.run(config.stopTimeout());
      } catch (Exception e) {
        LOG.warn("graceful stop cut short: {}", e.getMessage());
      }
      gracefulStop = null;
    }
    halt();
  }

  /**
   * Stops as a crash looks to the cluster: no goodbye, replicas and node record are left for the others
   * to find unreachable (tests use it where a graceful stop is not what they are about).
   */
  public void halt() {
    gracefulStop = null;
    try {
      pool.close().await();
      vertx.close().await();
    } catch (Exception e) {
      LOG.warn("error while stopping: {}", e.getMessage());
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (Exception e) {
        LOG.warn("error while stopping embedded postgresql: {}", e.getMessage());
      }
    }
  }

  public static String version() {
    String version = GantryNode.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
