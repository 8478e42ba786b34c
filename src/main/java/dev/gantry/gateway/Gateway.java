package dev.gantry.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;

/** What every event loop's gateway routes share on one node: the instance directory, the load counts and the metrics. */
public record Gateway(InstanceDirectory directory, InstanceLoad load, GatewayMetrics metrics, String nodeName) {

  public static Gateway create(HazelcastInstance hazelcast, MeterRegistry registry, String nodeName) {
    return new Gateway(new InstanceDirectory(hazelcast), new InstanceLoad(hazelcast, nodeName),
        new MicrometerGatewayMetrics(registry), nodeName);
  }

  /** The verticle that loads the directory, follows the cluster's load counts and publishes this node's. */
  public GatewayVerticle verticle() {
    return new GatewayVerticle(directory, load);
  }
}
