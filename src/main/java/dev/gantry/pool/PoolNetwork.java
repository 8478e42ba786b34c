package dev.gantry.pool;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a pool's instances are placed in the cloud's network: {@code subnet_id} (an AWS subnet
 * {@code subnet-…}, an Alibaba Cloud vSwitch {@code vsw-…}) and {@code security_group_ids} ({@code sg-…}).
 * AWS takes both as optional (without them: the default VPC's subnet of the zone and its default group);
 * Alibaba Cloud's RunInstances needs both (VPC only); DigitalOcean has neither (droplets go to the region's
 * default VPC). Each provider's id format is checked so that a typo is a 400 here, not a refusal at the
 * first scale-up.
 */
public record PoolNetwork(String subnetId, List<String> securityGroupIds) {

  static final PoolNetwork NONE = new PoolNetwork(null, List.of());
  private static final Pattern AWS_SUBNET = Pattern.compile("subnet-[0-9a-f]{8}([0-9a-f]{9})?");
  private static final Pattern AWS_GROUP = Pattern.compile("sg-[0-9a-f]{8}([0-9a-f]{9})?");
  private static final Pattern ALIYUN_VSWITCH = Pattern.compile("vsw-[0-9a-z]{4,64}");
  private static final Pattern ALIYUN_GROUP = Pattern.compile("sg-[0-9a-z]{4,64}");

  public PoolNetwork {
    securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
  }

  /** The network of a pool spec for its provider; throws a 400 that says which id is wrong and how it looks. */
  static PoolNetwork fromJson(String provider, JsonObject spec) {
    String subnet = spec.getString("subnet_id");
    List<String> groups = spec.getJsonArray("security_group_ids", new JsonArray()).stream().map(String::valueOf).toList();
    switch (provider == null ? "" : provider) {
      case "aws" -> check(subnet, groups, AWS_SUBNET, "subnet-0123456789abcdef0", AWS_GROUP, "sg-0123456789abcdef0");
      case "aliyun" -> {
        if (subnet == null || groups.isEmpty()) {
          throw new ApiException(400, "BadRequest", "an Alibaba Cloud pool needs subnet_id (the vSwitch, vsw-…, that "
              + "also fixes the zone) and security_group_ids (sg-…): ECS creates instances in a VPC only",
              subnet == null ? "subnet_id" : "security_group_ids");
        }
        check(subnet, groups, ALIYUN_VSWITCH, "vsw-bp1s5fnvk4gn2tws03624", ALIYUN_GROUP, "sg-bp15ed6xe1yxeycg7o8c");
      }
      default -> {
        if (subnet != null || !groups.isEmpty()) {
          throw new ApiException(400, "BadRequest", "provider " + provider + " takes no subnet_id or security_group_ids "
              + "(droplets are placed in the region's default VPC); leave them out", subnet != null ? "subnet_id"
              : "security_group_ids");
        }
      }
    }
    return subnet == null && groups.isEmpty() ? NONE : new PoolNetwork(subnet, groups);
  }

  private static void check(String subnet, List<String> groups, Pattern subnetFormat, String subnetExample,
      Pattern groupFormat, String groupExample) {
    if (subnet != null && !subnetFormat.matcher(subnet).matches()) {
      throw new ApiException(400, "BadRequest", "subnet_id '" + subnet + "' is not a subnet id of this provider, such as "
          + subnetExample, "subnet_id");
    }
    for (String group : groups) {
      if (!groupFormat.matcher(group).matches()) {
        throw new ApiException(400, "BadRequest", "security_group_ids: '" + group + "' is not a security group id of this "
            + "provider, such as " + groupExample, "security_group_ids");
      }
    }
    if (groups.size() != groups.stream().distinct().count()) {
      throw new ApiException(400, "BadRequest", "security_group_ids lists a group twice", "security_group_ids");
    }
  }
}
