package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Each provider's subnet and security group ids: optional on AWS, required on Alibaba Cloud, refused on DigitalOcean. */
class PoolNetworkTest {

  private static JsonObject spec(String subnet, String... groups) {
    JsonObject spec = new JsonObject();
    if (subnet != null) {
      spec.put("subnet_id", subnet);
    }
    if (groups.length > 0) {
      spec.put("security_group_ids", new JsonArray(java.util.List.of((Object[]) groups)));
    }
    return spec;
  }

  private static void refused(String provider, JsonObject spec, String words) {
    assertThatThrownBy(() -> PoolNetwork.fromJson(provider, spec)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.getMessage()).contains(words);
    });
  }

  @Test
  void awsTakesBothOptionallyInItsOwnFormats() {
    assertThat(PoolNetwork.fromJson("aws", spec(null))).isEqualTo(PoolNetwork.NONE);
    assertThat(PoolNetwork.fromJson("aws", spec("subnet-0123456789abcdef0", "sg-0123abcd", "sg-0123456789abcdef0")))
        .isEqualTo(new PoolNetwork("subnet-0123456789abcdef0", java.util.List.of("sg-0123abcd", "sg-0123456789abcdef0")));
    refused("aws", spec("vsw-bp1s5fnvk4gn2tws03624"), "such as subnet-0123456789abcdef0");
    refused("aws", spec("subnet-0123"), "is not a subnet id");
    refused("aws", spec(null, "sg-XYZ12345"), "'sg-XYZ12345' is not a security group id");
    refused("aws", spec(null, "sg-0123abcd", "sg-0123abcd"), "lists a group twice");
  }

  @Test
  void alibabaCloudNeedsAVswitchAndAGroup() {
    assertThat(PoolNetwork.fromJson("aliyun", spec("vsw-bp1s5fnvk4gn2tws03624", "sg-bp15ed6xe1yxeycg7o8c")).subnetId())
        .isEqualTo("vsw-bp1s5fnvk4gn2tws03624");
    refused("aliyun", spec(null, "sg-bp15ed6xe1yxeycg7o8c"), "needs subnet_id (the vSwitch");
    refused("aliyun", spec("vsw-bp1s5fnvk4gn2tws03624"), "and security_group_ids");
    refused("aliyun", spec("subnet-0123456789abcdef0", "sg-bp15ed6xe1yxeycg7o8c"), "such as vsw-");
  }

  @Test
  void digitalOceanTakesNeither() {
    assertThat(PoolNetwork.fromJson("digitalocean", spec(null))).isEqualTo(PoolNetwork.NONE);
    refused("digitalocean", spec("subnet-0123456789abcdef0"), "takes no subnet_id or security_group_ids");
    refused("digitalocean", spec(null, "sg-0123abcd"), "takes no subnet_id or security_group_ids");
  }
}
