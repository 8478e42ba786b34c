package dev.gantry.gateway;

import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.SharedMaps;
import dev.gantry.common.UsageSink;
import dev.gantry.route.Routing;
import dev.gantry.limits.QuotaCalendar;
import dev.gantry.limits.QuotaLedger;
import dev.gantry.limits.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.ZoneId;

/**
 * What every event loop's gateway routes share on one node: the instance directory, the load counts,
 * the metrics, the signature of requests relayed between nodes and where usage records go.
 */
public record Gateway(InstanceDirectory directory, InstanceLoad load, GatewayMetrics metrics, String nodeName,
    RelaySignature relaySignature, UsageSink usage, ModelDemand demand, ModelHealth health, Admission admission,
    Routing routing) {

  public static Gateway create(SharedMaps maps, LiveModels models, LiveInstances instances, MeterRegistry registry,
      String nodeName, ClusterSecret secret, UsageSink usage, ZoneId quotaZone, String currency, Routing routing) {
    ModelHealth health = new ModelHealth(maps.map(ClusterMaps.MODEL_HEALTH), nodeName);
    Admission admission = new Admission(
        new RateLimiter(maps.map(ClusterMaps.RATE_COUNTS), maps.membership(), nodeName, registry, System::currentTimeMillis),
        new QuotaLedger(maps.map(ClusterMaps.QUOTA_USAGE), new QuotaCalendar(quotaZone), System::currentTimeMillis,
            currency),
        maps.map(ClusterMaps.NAME_LIMITS).mirror(NameLimitRoutes::decode, () -> { }));
    return new Gateway(new InstanceDirectory(models, instances, maps.membership(), nodeName, secret),
        new InstanceLoad(maps.map(ClusterMaps.INSTANCE_LOAD), nodeName, maps.map(ClusterMaps.ENGINE_LOAD)),
        GatewayMetrics.both(new MicrometerGatewayMetrics(registry), health), nodeName, new RelaySignature(secret), usage,
        new ModelDemand(maps.map(ClusterMaps.MODEL_DEMAND), nodeName), health, admission, routing);
  }

  /** Requests in flight to an instance from every node's gateway (this node's own, and what the others published). */
  public int inFlightCluster(String instanceId) {
    return load.outstanding(instanceId);
  }

  /** Requests in flight on this node to one instance: this gateway's and those relayed to its engine. */
  public int inFlightTo(String instanceId) {
    return load.inFlightHere(instanceId);
  }

  /** Requests in flight on this node: this gateway's to any instance and those relayed to its engines. */
  public int inFlight() {
    return load.inFlightHere();
  }

  /** The verticle that loads the directory, follows the cluster's load counts and publishes this node's. */
  public GatewayVerticle verticle() {
    return new GatewayVerticle(directory, load, demand, health, admission, routing);
  }
}
