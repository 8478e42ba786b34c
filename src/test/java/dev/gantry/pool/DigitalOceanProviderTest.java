package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.pool.digitalocean.DigitalOceanProvider;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DigitalOcean client against the fake of its API: tags, pagination, not found, capacity, throttling, refusals. */
class DigitalOceanProviderTest {

  private static Vertx vertx;
  private static FakeDigitalOcean fake;
  private static final List<String> booted = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = FakeDigitalOcean.start(vertx, "do-token", (name, userData) -> booted.add(name + "\n" + userData), name -> { });
  }

  @AfterAll
  static void stop() {
    fake.close();
    vertx.close().await();
  }

  private static DigitalOceanProvider provider(String token, boolean gpus) {
    return new DigitalOceanProvider(WebClient.create(vertx), fake.url(), token, gpus);
  }

  private static InstanceSpec spec(String name, String size, String pool) {
    return new InstanceSpec(name, "nyc3", null, size, "gantry-image", 0, "#cloud-config\nruncmd: []\n",
        Map.of(PoolTags.CLUSTER, "gtest", PoolTags.POOL, pool));
  }

  @Test
  void createsTaggedDropletsWithPlainUserDataAndListsThemAcrossPages() {
    DigitalOceanProvider provider = provider("do-token", false);
    fake.pageSize = 2;
    for (int i = 0; i < 3; i++) {
      provider.create(spec("pa-" + i, "s-2vcpu-4gb", "pa"), "pa-" + i).await();
    }
    provider.create(spec("other-0", "s-2vcpu-4gb", "other"), "other-0").await();

    List<CloudInstance> listed = provider.listByTags(new PoolTags("gtest").of("pa")).await();

    assertThat(listed).extracting(CloudInstance::name).containsExactlyInAnyOrder("pa-0", "pa-1", "pa-2");
    assertThat(listed.get(0).tags()).containsEntry(PoolTags.POOL, "pa").containsEntry(PoolTags.CLUSTER, "gtest");
    assertThat(listed.get(0).privateIp()).startsWith("10.0.0.");
    assertThat(fake.count("GET /v2/droplets")).as("pages followed").isGreaterThanOrEqualTo(2);
    assertThat(booted).anySatisfy(b -> assertThat(b).startsWith("pa-0\n#cloud-config\n"));
    fake.pageSize = 200;
  }

  @Test
  void aGpuPoolListsWithTypeGpusAndFiltersByTagItself() {
    DigitalOceanProvider provider = provider("do-token", true);
    provider.create(spec("gp-0", "gpu-h100x1-80gb", "gp"), "gp-0").await();
    provider.create(spec("gq-0", "gpu-h100x1-80gb", "gq"), "gq-0").await();

    assertThat(provider.listByTags(new PoolTags("gtest").of("gp")).await()).extracting(CloudInstance::name)
        .containsExactly("gp-0");
  }

  @Test
  void anUnknownDropletIsNullAndDeletingItTwiceSucceeds() {
    DigitalOceanProvider provider = provider("do-token", false);
    CloudInstance created = provider.create(spec("nf-0", "s-1vcpu-1gb", "nf"), "nf-0").await();
    assertThat(provider.get(created.id()).await().status()).isEqualTo("new");

    provider.delete(created.id()).await();
    provider.delete(created.id()).await();

    assertThat(provider.get(created.id()).await()).isNull();
    assertThat(fake.droplets).doesNotContainKey(created.id());
  }

  @Test
  void outOfCapacityThrottlingAndRefusalsAreTold() {
    DigitalOceanProvider provider = provider("do-token", false);
    fake.outOfCapacity.add("gpu-l40sx1-48gb");
    assertThatThrownBy(() -> provider.create(spec("cap-0", "gpu-l40sx1-48gb", "cap"), "cap-0").await())
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CAPACITY));

    fake.failures.add(new FakeDigitalOcean.Failure("GET", 429, "too_many_requests", "API Rate limit exceeded.", false));
    assertThatThrownBy(() -> provider.listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.THROTTLED);
          assertThat(e.getMessage()).contains("rate limit resets at");
        });

    assertThatThrownBy(() -> provider("wrong-token", false).listByTags(new PoolTags("gtest").of("cap")).await())
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.kind()).isEqualTo(CloudException.Kind.REFUSED);
          assertThat(e.describe()).isEqualTo("unauthorized: Unable to authenticate you");
        });
    assertThat(fake.tagged("gantry-pool:cap")).isEmpty();
  }
}
