package dev.gantry.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;

/**
 * The cluster's shared state as the composition root hands it out: one {@link SharedMap} per name of
 * {@link ClusterMaps} to the class that owns it, and this node's {@link Membership}. Nothing outside
 * {@code dev.gantry.cluster} sees a Hazelcast type.
 */
public final class SharedMaps {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Membership membership;

  public SharedMaps(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.membership = new Membership(hazelcast);
  }

  public SharedMap map(String name) {
    return new SharedMap(vertx, hazelcast.<String, String>getMap(name));
  }

  public Membership membership() {
    return membership;
  }

  public Vertx vertx() {
    return vertx;
  }
}
