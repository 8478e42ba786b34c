package dev.gantry.gateway;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.common.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every event loop's gateway routes share on one node: the instance directory, the load counts, the
 * metrics and where usage records go.
 */
public record Gateway(InstanceDirectory directory, InstanceLoad load, GatewayMetrics metrics, String nodeName,
    UsageSink usage) {

  public static Gateway create(HazelcastInstance hazelcast, MeterRegistry registry, String nodeName, UsageSink usage) {
    return new Gateway(new InstanceDirectory(hazelcast), new InstanceLoad(hazelcast, nodeName),
        new MicrometerGatewayMetrics(registry), nodeName, usage);
  }

  /** The verticle that loads the directory, follows the cluster's load counts and publishes this node's. */
  public GatewayVerticle verticle() {
    return new GatewayVerticle(directory, load);
  }
}
