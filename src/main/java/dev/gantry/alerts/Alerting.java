package dev.gantry.alerts;

import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.cluster.ClusterState;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * The alerting feature's one entry point for the composition root: loads rules and receivers into the
 * cluster, follows the alerts map into a watch hub, mounts the routes and builds the leader's verticle.
 */
public final class Alerting {

  private final ClusterState cluster;
  private final String nodeName;
  private final PgAlertStore store;
  private final ClusterAlerts state;
  private final SecretBox box;
  private final AlertMetrics metrics;
  private final WatchHub hub = new WatchHub("alerts", "id");

  private Alerting(ClusterState cluster, String nodeName, Pool pool, ClusterSecret secret, MeterRegistry registry) {
    this.cluster = cluster;
    this.nodeName = nodeName;
    this.store = new PgAlertStore(pool);
    this.state = new ClusterAlerts(cluster.maps());
    this.box = new SecretBox(secret);
    this.metrics = new AlertMetrics(registry);
  }

  /** Loads the rules and receivers and starts following the alerts map. */
  public static Future<Alerting> start(ClusterState cluster, String nodeName, Pool pool, ClusterSecret secret,
      MeterRegistry registry) {
    Alerting alerting = new Alerting(cluster, nodeName, pool, secret, registry);
    return alerting.state.load(alerting.store)
        .compose(v -> alerting.state.listenAlerts((type, alert) -> alerting.hub.emit(type.name(), alert.toJson())))
        .map(alerting);
  }

  public void mount(Router router, RequestValidator validator) {
    new AlertRoutes(store, state, hub, validator).mount(router);
    new AlertReceiverRoutes(store, state, box, validator).mount(router);
  }

  public AlertingVerticle verticle() {
    return new AlertingVerticle(nodeName, cluster.nodes(), cluster.instances(), state, cluster.membership(), box, metrics);
  }
}
