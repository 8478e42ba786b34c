package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.pool.aws.Ec2Provider;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EC2 provider (the official SDK v2) against the fake of EC2's Query API, which checks every signature. */
class Ec2ProviderTest {

  private static Vertx vertx;
  private static FakeEc2 fake;
  private static final List<String> booted = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = FakeEc2.start(vertx, "AKIDTEST", "aws-secret", "us-east-1", (name, userData) -> booted.add(name + "\n" + userData),
        name -> { });
  }

  @AfterAll
  static void stop() {
    fake.close();
    vertx.close().await();
  }

  private static Ec2Provider provider(String secret, String region) {
    return new Ec2Provider(vertx, fake.url(), region, "AKIDTEST", secret);
  }

  private static InstanceSpec spec(String name, String type, String pool) {
    return new InstanceSpec(name, "us-east-1", null, type, "ami-1", 100, "#cloud-config\nruncmd: []\n",
        Map.of(PoolTags.CLUSTER, "gtest", PoolTags.POOL, pool));
  }

  @Test
  void createIsIdempotentByClientTokenAndTagsTheInstance() {
    Ec2Provider ec2 = provider("aws-secret", "us-east-1");
    CloudInstance first = ec2.create(spec("ec-1", "g5.xlarge", "ec"), "ec-1").await();
    CloudInstance again = ec2.create(spec("ec-1", "g5.xlarge", "ec"), "ec-1").await();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(first.name()).isEqualTo("ec-1");
    assertThat(first.status()).isEqualTo("pending");
    assertThat(first.tags()).containsEntry(PoolTags.POOL, "ec").containsEntry(PoolTags.CLUSTER, "gtest").containsEntry("Name", "ec-1");
    assertThat(booted).as("one boot, its user-data base64-decoded").containsOnlyOnce("ec-1\n#cloud-config\nruncmd: []\n");
    assertThat(fake.live(PoolTags.POOL, "ec")).hasSize(1);
  }

  @Test
  void thePoolsSubnetAndSecurityGroupsReachRunInstances() {
    InstanceSpec base = spec("net-1", "g5.xlarge", "net");
    InstanceSpec placed = new InstanceSpec(base.name(), base.region(), "us-east-1b", base.instanceType(), base.image(),
        base.diskGb(), base.userData(), base.tags(), "subnet-0123456789abcdef0", List.of("sg-0123456789abcdef0", "sg-89abcdef"));
    provider("aws-secret", "us-east-1").create(placed, "net-1").await();

    assertThat(fake.live(PoolTags.POOL, "net")).singleElement().satisfies(i -> {
      assertThat(i.subnetId()).isEqualTo("subnet-0123456789abcdef0");
      assertThat(i.securityGroupIds()).containsExactly("sg-0123456789abcdef0", "sg-89abcdef");
    });
    provider("aws-secret", "us-east-1").create(spec("net-2", "g5.xlarge", "net2"), "net-2").await();
    assertThat(fake.live(PoolTags.POOL, "net2")).singleElement().satisfies(i -> {
      assertThat(i.subnetId()).as("no subnet: the default VPC's").isNull();
      assertThat(i.securityGroupIds()).isEmpty();
    });
  }

  @Test
  void listsByTagsAcrossPagesAndSkipsTerminatedInstances() {
    Ec2Provider ec2 = provider("aws-secret", "us-east-1");
    fake.pageSize = 1;
    CloudInstance a = ec2.create(spec("ls-1", "g5.xlarge", "ls"), "ls-1").await();
    ec2.create(spec("ls-2", "g6.xlarge", "ls"), "ls-2").await();
    ec2.create(spec("other-1", "g6.xlarge", "other"), "other-1").await();
    ec2.delete(a.id()).await();

    assertThat(ec2.listByTags(new PoolTags("gtest").of("ls")).await()).extracting(CloudInstance::name).containsExactly("ls-2");
    fake.pageSize = 1000;
  }

  @Test
  void anUnknownInstanceIsNullAndDeletingItSucceeds() {
    Ec2Provider ec2 = provider("aws-secret", "us-east-1");
    assertThat(ec2.get("i-0doesnotexist").await()).isNull();
    ec2.delete("i-0doesnotexist").await();
    assertThat(fake.count("TerminateInstances")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void capacityThrottlingAndRefusalsBecomeTheirKinds() {
    Ec2Provider ec2 = provider("aws-secret", "us-east-1");
    fake.outOfCapacity.add("p5.48xlarge");
    assertThatThrownBy(() -> ec2.create(spec("cap-1", "p5.48xlarge", "cap"), "cap-1").await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.CAPACITY);
          assertThat(e.code()).isEqualTo("InsufficientInstanceCapacity");
        });
    fake.failures.add(new FakeEc2.Failure("DescribeInstances", 503, "RequestLimitExceeded", "Request limit exceeded."));
    assertThatThrownBy(() -> ec2.listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.THROTTLED));
    fake.failures.add(new FakeEc2.Failure("RunInstances", 403, "UnauthorizedOperation",
        "You are not authorized to perform this operation."));
    assertThatThrownBy(() -> ec2.create(spec("cap-2", "g5.xlarge", "cap"), "cap-2").await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.REFUSED);
          assertThat(e.describe()).startsWith("UnauthorizedOperation: You are not authorized");
        });

    assertThatThrownBy(() -> provider("wrong-secret", "us-east-1").listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.REFUSED);
          assertThat(e.code()).isEqualTo("AuthFailure");
        });
    assertThatThrownBy(() -> provider("aws-secret", "eu-west-1").listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.code()).as("a scope of another region").isEqualTo("AuthFailure"));
    assertThat(fake.live(PoolTags.POOL, "cap")).isEmpty();
  }
}
