package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.pool.aliyun.EcsProvider;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ECS provider (the official Tea SDK) against the fake of ECS's OpenAPI, which checks every V3 signature. */
class EcsProviderTest {

  private static final String VSWITCH = "vsw-bp1s5fnvk4gn2tws03624";
  private static Vertx vertx;
  private static FakeEcs fake;
  private static final List<String> booted = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = FakeEcs.start(vertx, "LTAItest", "aliyun-secret", (name, userData) -> booted.add(name + "\n" + userData),
        name -> { });
  }

  @AfterAll
  static void stop() {
    fake.close();
    vertx.close().await();
  }

  private static EcsProvider provider(String keyId, String secret) {
    return new EcsProvider(vertx, fake.url(), "cn-hangzhou", keyId, secret);
  }

  private static InstanceSpec spec(String name, String type, String pool) {
    return new InstanceSpec(name, "cn-hangzhou", "cn-hangzhou-i", type, "ubuntu_22_04_x64_20G_alibase_20241224.vhd", 100,
        "#cloud-config\nruncmd: []\n", Map.of(PoolTags.CLUSTER, "gtest", PoolTags.POOL, pool), VSWITCH,
        List.of("sg-bp15ed6xe1yxeycg7o8c", "sg-bp1fg655nh68xyz9i5kd"));
  }

  @Test
  void createIsIdempotentByClientTokenAndTagsAndPlacesTheInstance() {
    EcsProvider ecs = provider("LTAItest", "aliyun-secret");
    CloudInstance first = ecs.create(spec("ali-1", "ecs.gn7i-c8g1.2xlarge", "ali"), "ali-1").await();
    CloudInstance again = ecs.create(spec("ali-1", "ecs.gn7i-c8g1.2xlarge", "ali"), "ali-1").await();

    assertThat(again.id()).isEqualTo(first.id()).startsWith("i-bp");
    assertThat(first.name()).isEqualTo("ali-1");
    assertThat(booted).as("one boot, its user-data base64-decoded").containsOnlyOnce("ali-1\n#cloud-config\nruncmd: []\n");
    assertThat(fake.tagged(PoolTags.POOL, "ali")).singleElement().satisfies(i -> {
      assertThat(i.tags).containsEntry(PoolTags.CLUSTER, "gtest").containsEntry(PoolTags.POOL, "ali");
      assertThat(i.params).containsEntry("VSwitchId", VSWITCH).containsEntry("SecurityGroupIds.1", "sg-bp15ed6xe1yxeycg7o8c")
          .containsEntry("SecurityGroupIds.2", "sg-bp1fg655nh68xyz9i5kd").containsEntry("ZoneId", "cn-hangzhou-i")
          .containsEntry("InstanceChargeType", "PostPaid").containsEntry("InternetMaxBandwidthOut", "0")
          .containsEntry("SystemDisk.Size", "100").containsEntry("Amount", "1").containsEntry("RegionId", "cn-hangzhou");
    });
  }

  @Test
  void listsByTagsAcrossPagesAndForgetsDeletedInstances() {
    EcsProvider ecs = provider("LTAItest", "aliyun-secret");
    fake.pageSize = 1;
    try {
      CloudInstance a = ecs.create(spec("ls-1", "ecs.g7.xlarge", "ls"), "ls-1").await();
      CloudInstance b = ecs.create(spec("ls-2", "ecs.g7.2xlarge", "ls"), "ls-2").await();
      ecs.create(spec("other-1", "ecs.g7.xlarge", "other"), "other-1").await();
      ecs.delete(a.id()).await();

      assertThat(ecs.listByTags(new PoolTags("gtest").of("ls")).await()).singleElement().satisfies(i -> {
        assertThat(i.id()).isEqualTo(b.id());
        assertThat(i.name()).isEqualTo("ls-2");
        assertThat(i.instanceType()).isEqualTo("ecs.g7.2xlarge");
        assertThat(i.privateIp()).isEqualTo("172.16.0.5");
        assertThat(i.createdAt()).isNotNull();
        assertThat(i.tags()).containsEntry(PoolTags.POOL, "ls");
      });
      assertThat(ecs.get(b.id()).await().status()).isEqualTo("Running");
      assertThat(ecs.get(a.id()).await()).as("a deleted instance is unknown").isNull();
      assertThat(fake.count("DescribeInstances")).as("pages of one").isGreaterThanOrEqualTo(2);
    } finally {
      fake.pageSize = 100;
    }
  }

  @Test
  void deletingAnUnknownInstanceSucceeds() {
    long before = fake.count("DeleteInstance");
    provider("LTAItest", "aliyun-secret").delete("i-bpdoesnotexist").await();
    assertThat(fake.count("DeleteInstance")).isEqualTo(before + 1);
  }

  @Test
  void capacityThrottlingAndRefusalsBecomeTheirKinds() {
    EcsProvider ecs = provider("LTAItest", "aliyun-secret");
    fake.outOfStock.add("ecs.gn8v-c48g1.12xlarge");
    assertThatThrownBy(() -> ecs.create(spec("cap-1", "ecs.gn8v-c48g1.12xlarge", "cap"), "cap-1").await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.CAPACITY);
          assertThat(e.describe()).startsWith("OperationDenied.NoStock: The requested resource is sold out");
        });
    fake.failures.add(new FakeEcs.Failure("RunInstances", 403, "InvalidResourceType.NotSupported",
        "This resource type is not supported; please try other resource types.", false));
    assertThatThrownBy(() -> ecs.create(spec("cap-2", "ecs.gn6i-c4g1.xlarge", "cap"), "cap-2").await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CAPACITY));
    fake.failures.add(new FakeEcs.Failure("DescribeInstances", 400, "Throttling.User", "Request was denied due to user "
        + "flow control.", false));
    assertThatThrownBy(() -> ecs.listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.THROTTLED));
    fake.failures.add(new FakeEcs.Failure("DescribeInstances", 503, "ServiceUnavailable", "The request has failed due "
        + "to a temporary failure of the server.", false));
    assertThatThrownBy(() -> ecs.listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.UNAVAILABLE));
    InstanceSpec noNetwork = new InstanceSpec("cap-3", "cn-hangzhou", null, "ecs.g7.xlarge", "ubuntu", 0, "#cloud-config\n",
        Map.of(PoolTags.POOL, "cap"));
    assertThatThrownBy(() -> ecs.create(noNetwork, "cap-3").await()).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.kind()).isEqualTo(CloudException.Kind.REFUSED);
      assertThat(e.describe()).startsWith("MissingParameter: The input parameter \"VSwitchId\"");
    });

    assertThatThrownBy(() -> provider("LTAItest", "wrong-secret").listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.REFUSED);
          assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        });
    assertThatThrownBy(() -> provider("LTAIother", "aliyun-secret").listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.code()).isEqualTo("InvalidAccessKeyId.NotFound"));
    assertThat(fake.tagged(PoolTags.POOL, "cap")).isEmpty();
  }
}
