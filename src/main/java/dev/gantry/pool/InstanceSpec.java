package dev.gantry.pool;

import java.util.List;
import java.util.Map;

/**
 * What to create: {@code name} is also the Gantry node's name (the node joins under it, which is how the
 * reconciler matches a node to its instance); {@code userData} is the cloud-init document in plain text
 * (providers encode it as their API wants); {@code tags} always include {@code gantry-cluster} and
 * {@code gantry-pool}. {@code subnetId} (an AWS subnet, an Alibaba Cloud vSwitch) and
 * {@code securityGroupIds} place the instance in the pool's network; null and empty leave it to the cloud's
 * defaults where it has them.
 */
public record InstanceSpec(String name, String region, String zone, String instanceType, String image, int diskGb,
    String userData, Map<String, String> tags, String subnetId, List<String> securityGroupIds) {

  public InstanceSpec {
    tags = Map.copyOf(tags);
    securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
  }

  /** An instance in the cloud's default network. */
  public InstanceSpec(String name, String region, String zone, String instanceType, String image, int diskGb,
      String userData, Map<String, String> tags) {
    this(name, region, zone, instanceType, image, diskGb, userData, tags, null, List.of());
  }
}
