package dev.gantry.pool;

import dev.gantry.cluster.ClusterSecret;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags every cloud object of a pool carries: {@code gantry-cluster} (an id derived from the cluster
 * secret, so it names this cluster without revealing anything that helps to join it) and
 * {@code gantry-pool}.
 */
public final class PoolTags {

  public static final String CLUSTER = "gantry-cluster";
  public static final String POOL = "gantry-pool";

  private final String clusterId;

  public PoolTags(ClusterSecret secret) {
    this.clusterId = "g" + HexFormat.of().formatHex(secret.derive("cloud-tag"), 0, 6);
  }

  public PoolTags(String clusterId) {
    this.clusterId = clusterId;
  }

  public String clusterId() {
    return clusterId;
  }

  public Map<String, String> of(String pool) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(CLUSTER, clusterId);
    tags.put(POOL, pool);
    return tags;
  }
}
