package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Building an SDK client from a pool's settings: an endpoint the schema lets through but no URI parser takes is a 400. */
class CloudProvidersTest {

  /** Matches the schema's {@code ^https?://[^\s]+$}, yet '|' may not appear in a URI. */
  private static final String UNPARSABLE = "https://ecs|example.com";
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static WorkerPool pool(String provider, JsonObject network) {
    return WorkerPool.fromJson(new JsonObject().put("name", "p").put("provider", provider).put("region", "cn-hangzhou")
        .put("endpoint", UNPARSABLE).put("instance_types", new JsonArray().add(new JsonObject().put("name", "t")))
        .mergeIn(network));
  }

  @Test
  void anUnparsableAliyunEndpointIsA400NamingTheEndpoint() {
    WorkerPool pool = pool("aliyun", new JsonObject().put("subnet_id", "vsw-bp1s5fnvk4gn2tws03624")
        .put("security_group_ids", new JsonArray().add("sg-bp15ed6xe1yxeycg7o8c")));
    assertThatThrownBy(() -> new CloudProviders(vertx).once(pool, new JsonObject().put("access_key_id", "k")
        .put("access_key_secret", "s")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
          org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(UNPARSABLE);
        });
  }

  @Test
  void anUnparsableAwsEndpointIsA400NamingTheEndpoint() {
    WorkerPool pool = pool("aws", new JsonObject());
    assertThatThrownBy(() -> new CloudProviders(vertx).once(pool, new JsonObject().put("access_key_id", "k")
        .put("secret_access_key", "s")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
          org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(UNPARSABLE);
        });
  }
}
