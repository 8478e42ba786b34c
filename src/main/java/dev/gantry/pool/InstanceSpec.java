package dev.gantry.pool;

import java.util.Map;

/**
 * What to create: {@code name} is also the Gantry node's name (the node joins under it, which is how the
 * reconciler matches a node to its instance); {@code userData} is the cloud-init document in plain text
 * (providers encode it as their API wants); {@code tags} always include {@code gantry-cluster} and
 * {@code gantry-pool}.
 */
public record InstanceSpec(String name, String region, String zone, String instanceType, String image, int diskGb,
    String userData, Map<String, String> tags) {

  public InstanceSpec {
    tags = Map.copyOf(tags);
  }
}
