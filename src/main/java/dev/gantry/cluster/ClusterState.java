package dev.gantry.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;

/**
 * The live, cluster-wide state of one node's view, by owner: nodes, models and instances as typed
 * owners, every other map through {@link SharedMaps} to the feature class that owns it. Built once by
 * the composition root; nothing else touches Hazelcast.
 */
public record ClusterState(SharedMaps maps, LiveNodes nodes, LiveModels models, LiveInstances instances) {

  public static ClusterState of(Vertx vertx, HazelcastInstance hazelcast) {
    SharedMaps maps = new SharedMaps(vertx, hazelcast);
    return new ClusterState(maps, new LiveNodes(maps), new LiveModels(maps), new LiveInstances(maps));
  }

  public Membership membership() {
    return maps.membership();
  }
}
