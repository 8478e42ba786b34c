package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.pool.FakeEcs;
import dev.gantry.testing.Api;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's "New worker pool" form: choosing Alibaba Cloud asks for the AccessKey pair, the vSwitch and a
 * security group (refused without them), and the pool it creates is checked with ECS (the fake, through the
 * SDK) and stored with its network; DigitalOcean shows no network fields.
 */
class WorkerPoolFormBrowserTest {

  private static TestNodes nodes;
  private static Vertx vertx;
  private static FakeEcs ecs;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    nodes = TestNodes.start(1);
    vertx = Vertx.vertx();
    ecs = FakeEcs.start(vertx, "LTAIform", "form-secret", (name, userData) -> { }, name -> { });
  }

  @AfterAll
  static void stop() {
    if (ecs != null) {
      ecs.close();
      vertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void createsAnAlibabaCloudPoolWithItsVswitchAndSecurityGroup() {
    Browser browser = browsers.browser();
    browser.go("#/worker-pools");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    browser.await("[data-test=pool-form]");
    assertThat(browser.all("[data-test=pool-network] input")).as("DigitalOcean has no network fields").isEmpty();

    browser.select("[data-test=pool-provider]", "aliyun");
    browser.type("input[name=name]", "form-hz");
    browser.type("input[name='credentials.access_key_id']", "LTAIform");
    browser.type("input[name='credentials.access_key_secret']", "form-secret");
    browser.type("input[name=region]", "cn-hangzhou");
    browser.type("input[name=image]", "ubuntu_22_04_x64_20G_alibase_20241224.vhd");
    browser.type("textarea[name=instance_types]", "ecs.gn7i-c8g1.2xlarge gpus=1 gpu_memory=24 vendor=nvidia memory=30 cpus=8");
    browser.type("input[name=endpoint]", ecs.url());
    browser.click("[data-test=create-pool]");
    assertThat(browser.awaitText("[data-field=subnet_id] .field-error", "vSwitch", Browser.WAIT)).contains("vsw-");
    assertThat(Api.expect(nodes.admin(1).get("/v2/worker-pools?search=form-hz"), 200).getJsonArray("items")).isEmpty();
    browser.screenshot("worker-pool-form-aliyun-refused");

    browser.type("input[name=subnet_id]", "vsw-bp1s5fnvk4gn2tws03624");
    browser.type("input[name=security_group_ids]", "sg-bp15ed6xe1yxeycg7o8c");
    browser.click("[data-test=create-pool]");
    browser.awaitText("[data-pool='form-hz']", "aliyun", Browser.WAIT);

    JsonObject pool = Api.expect(nodes.admin(1).get("/v2/worker-pools/form-hz"), 200);
    assertThat(pool.getString("subnet_id")).isEqualTo("vsw-bp1s5fnvk4gn2tws03624");
    assertThat(pool.getJsonArray("security_group_ids").getList()).containsExactly("sg-bp15ed6xe1yxeycg7o8c");
    assertThat(pool.getJsonArray("instance_types").getJsonObject(0).getInteger("devices")).isEqualTo(1);
    assertThat(ecs.count("DescribeInstances")).as("the credentials were checked with ECS").isGreaterThanOrEqualTo(1);
    browser.screenshot("worker-pool-form-aliyun");
  }
}
