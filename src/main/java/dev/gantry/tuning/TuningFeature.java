package dev.gantry.tuning;

import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.AccountDirectory;
import dev.gantry.auth.PgApiKeyStore;
import dev.gantry.catalog.Catalog;
import dev.gantry.catalog.PgMeasuredSpecStore;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Find the best spec", wired: the runs' store, the specs the catalog learned, this node's watch stream
 * of runs (fed by every node's changes) and the routes. {@link #start} also ends the runs this node was
 * driving when it last stopped, and deletes the temporary models and keys they left; while this node leads, it ends
 * the runs of nodes that left the cluster ({@link AbandonedRuns}).
 */
public final class TuningFeature {

  private static final Logger LOG = LoggerFactory.getLogger(TuningFeature.class);

  private final PgMeasuredSpecStore measured;
  private final TuningRoutes routes;

  private TuningFeature(PgMeasuredSpecStore measured, TuningRoutes routes) {
    this.measured = measured;
    this.routes = routes;
  }

  /** Deletes a model by name (database and cluster map); a model already gone is no error. */
  public interface ModelRemover {
    Future<Void> remove(String name);
  }

  /** Settings of this node that a run needs: where its own API listens. */
  public record Node(String name, String host, int port) {
  }

  /** The cluster as a run's watcher sees it: the nodes' records and the members. */
  public record Cluster(LiveNodes nodes, Membership membership) {
  }

  public static Future<TuningFeature> start(Vertx vertx, Pool pool, Catalog catalog, PgApiKeyStore keys,
      AccountDirectory directory, RequestValidator validator, Node node, Cluster cluster, ModelRemover remover) {
    PgTuningStore store = new PgTuningStore(pool);
    PgMeasuredSpecStore measured = new PgMeasuredSpecStore(pool);
    WatchHub hub = new WatchHub(TuningRuns.RESOURCE, "id");
    RunKeys runKeys = RunKeys.of(keys, directory);
    TuningRuns runs = new TuningRuns(vertx, store, measured, catalog, runKeys, node.name(), node.host(), node.port());
    AbandonedRuns abandoned = new AbandonedRuns(store, cluster.nodes(), cluster.membership(), remover, runKeys,
        run -> runs.publish("UPDATED", run));
    return vertx.eventBus().<JsonObject>consumer(Addresses.watch(TuningRuns.RESOURCE),
            message -> hub.emit(message.body().getString("type"), message.body().getJsonObject("item")))
        .completion()
        .compose(v -> store.orphaned(node.name()))
        .compose(orphans -> Future.join(orphans.stream().flatMap(orphan -> Stream.concat(
            orphan.models().stream().map(name -> remover.remove(name).onFailure(e -> LOG.warn(
                "temporary model of an ended tuning run not deleted [model: {}]: {}", name, e.getMessage()))),
            Stream.of(runKeys.deleteOf(orphan.id()).onFailure(e -> LOG.warn(
                "API key of an ended tuning run not deleted [run: {}]: {}", orphan.id(), e.getMessage())))))
            .toList()).<Void>mapEmpty().otherwiseEmpty())
        .onSuccess(v -> abandoned.start(vertx))
        .map(v -> new TuningFeature(measured, new TuningRoutes(runs, store, hub, validator)));
  }

  public PgMeasuredSpecStore measuredSpecs() {
    return measured;
  }

  public void mount(Router router) {
    routes.mount(router);
  }
}
