package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Alerts page in Chromium: a hot fake device's alert shows as firing, and a rule is switched off from its row. */
class AlertsBrowserTest {

  static TestNodes nodes;
  static Path dir;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() throws Exception {
    Browser.assumeInstalled();
    dir = TestFiles.tempDir("gantry-alerts-browser-");
    Path csv = Files.writeString(dir.resolve("nvidia.csv"), "index, name, uuid, memory.total [MiB], memory.used [MiB], "
        + "utilization.gpu [%], temperature.gpu, power.draw [W], driver_version, pci.bus_id, compute_cap\n"
        + "0, NVIDIA L40S, GPU-0b1c2d3e-0000-1111-2222-333344445555, 46068, 1024, 12, 96, 81.50, 550.90.07, 00000000:17:00.0, 8.9\n");
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "cat '" + csv + "'");
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      nodes = TestNodes.start(1);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
    Api.expect(nodes.admin(1).patch("/v2/alert-rules/device-temperature", new JsonObject().put("for_seconds", 0)), 200);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void anAdminSeesTheFiringAlertAndSwitchesARuleOff() {
    Browser browser = browsers.browser();
    browser.go("#/alerts");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    String row = "tr[data-alert='device-temperature/" + nodes.name(1) + ":cuda:0']";

    browser.awaitText(row, "is at 96 °C (threshold 90 °C)", Browser.WAIT);
    assertThat(browser.attribute(row, "data-state")).isEqualTo("firing");
    browser.awaitText("[data-test=alert-summary]", "1 firing", Browser.WAIT);
    browser.awaitText("tr[data-rule=device-temperature]", "device temperature > 90 °C", Browser.WAIT);

    browser.click("tr[data-rule=model-ttft-p95] [data-test=rule-enabled]");

    Eventually.await(Browser.WAIT, () -> assertThat(Api.expect(nodes.admin(1).get("/v2/alert-rules/model-ttft-p95"), 200)
        .getBoolean("enabled")).isFalse());
    browser.screenshot("alerts");
  }
}
