package dev.gantry.alerts;

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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One in-JVM node on a fake machine with an NVIDIA L40S whose uncorrected ECC count and two Ascend 910B3
 * chips whose health the test sets: the built-in "device ECC errors" and "device unhealthy" rules fire
 * and resolve, the node exports {@code gantry_device_ecc_errors} and {@code gantry_device_healthy}, and
 * the shipped Prometheus rules' series are all in its scrape.
 */
class DeviceHealthAlertsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CSV_HEADER = "index, name, uuid, memory.total [MiB], memory.used [MiB], utilization.gpu [%], "
      + "temperature.gpu, power.draw [W], driver_version, pci.bus_id, compute_cap, ecc.errors.uncorrected.volatile.total\n";
  private static TestNodes nodes;
  private static Api admin;
  private static Path dir;
  private static Path nvidiaCsv;
  private static FakeAccelerators fake;
  private static String npuSample;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-device-health-");
    nvidiaCsv = dir.resolve("nvidia.csv");
    ecc("0");
    fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .pci("0000:c1:00.0", 0x19e5, 0x120000).pci("0000:01:00.0", 0x19e5, 0x120000)
        .tool("nvidia-smi", "cat '" + nvidiaCsv + "'")
        .toolPrinting("npu-smi", "npu-smi-info-2x-910b3.txt");
    npuSample = Files.readString(npuOut());
    assertThat(npuSample).contains("| Warning       |");
    health("OK     ");
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      nodes = TestNodes.start(1);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
    admin = nodes.admin(1);
    Api.expect(admin.patch("/v2/alert-rules/device-unhealthy", new JsonObject().put("for_seconds", 1)), 200);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void uncorrectedEccErrorsFireAndResolveWhenTheCountIsBackToZero() throws Exception {
    String id = "device-ecc-errors/" + nodes.name(1) + ":cuda:0";
    Eventually.await(WAIT, () -> assertThat(scrape()).anyMatch(l -> l.startsWith("gantry_device_ecc_errors{device=\""
        + nodes.name(1) + ":cuda:0\"") && l.endsWith(" 0.0")));
    assertThat(alert(id)).isNull();

    ecc("2");

    Eventually.await(WAIT, () -> assertThat(state(id)).isEqualTo("firing"));
    JsonObject alert = alert(id);
    assertThat(alert.getString("kind")).isEqualTo("device_ecc_errors");
    assertThat(alert.getString("severity")).isEqualTo("critical");
    assertThat(alert.getDouble("value")).isEqualTo(2.0);
    assertThat(alert.getString("message")).isEqualTo("device " + nodes.name(1) + ":cuda:0 (NVIDIA L40S) on node "
        + nodes.name(1) + " reports 2 uncorrected ECC errors since its driver loaded: its memory is failing; drain the node "
        + "and have the card checked");

    ecc("0");

    Eventually.await(WAIT, () -> assertThat(state(id)).isEqualTo("resolved"));
  }

  @Test
  void aChipItsToolCallsUnhealthyFiresAndResolvesWhenItIsOkAgain() throws Exception {
    String chip = nodes.name(1) + ":cann:1";
    String id = "device-unhealthy/" + chip;
    Eventually.await(WAIT, () -> assertThat(scrape()).anyMatch(l -> l.startsWith("gantry_device_healthy{device=\"" + chip
        + "\"") && l.endsWith(" 1.0")));

    health("Warning");

    Eventually.await(WAIT, () -> assertThat(state(id)).isEqualTo("firing"));
    JsonObject alert = alert(id);
    assertThat(alert.getString("kind")).isEqualTo("device_unhealthy");
    assertThat(alert.getJsonObject("labels").getString("health")).isEqualTo("Warning");
    assertThat(alert.getString("message")).isEqualTo("device " + chip + " (910B3) on node " + nodes.name(1)
        + " reports its health as 'Warning': see the vendor tool's detail for this device");
    assertThat(scrape()).anyMatch(l -> l.startsWith("gantry_device_healthy{device=\"" + chip + "\"") && l.endsWith(" 0.0"));
    assertThat(alert("device-unhealthy/" + nodes.name(1) + ":cann:0")).as("the healthy chip").isNull();

    health("OK     ");

    Eventually.await(WAIT, () -> assertThat(state(id)).isEqualTo("resolved"));
  }

  @Test
  void theShippedPrometheusRulesNameOnlySeriesThisNodeExports() throws Exception {
    Set<String> used = new TreeSet<>();
    Matcher names = Pattern.compile("gantry_[a-z0-9_]+").matcher(Files.readString(Path.of("conf/prometheus/alerts.yml")));
    while (names.find()) {
      used.add(names.group());
    }
    assertThat(used).contains("gantry_device_ecc_errors", "gantry_device_healthy");

    Eventually.await(WAIT, () -> assertThat(scrape()).anyMatch(l -> l.startsWith("gantry_device_ecc_errors{"))
        .anyMatch(l -> l.startsWith("gantry_device_healthy{")));
  }

  private static List<String> scrape() {
    Api.Response response = admin.get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    return response.body().lines().toList();
  }

  private static JsonObject alert(String id) {
    return Api.expect(admin.get("/v2/alerts"), 200).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(a -> id.equals(a.getString("id"))).findFirst().orElse(null);
  }

  private static String state(String id) {
    JsonObject alert = alert(id);
    return alert == null ? null : alert.getString("state");
  }

  private static Path npuOut() {
    return fake.tools().resolve("npu-smi.out");
  }

  private static void health(String chipOne) throws Exception {
    Files.writeString(npuOut(), npuSample.replace("| Warning       |", "| " + chipOne + "       |"));
  }

  private static void ecc(String errors) throws Exception {
    Files.writeString(nvidiaCsv, CSV_HEADER + "0, NVIDIA L40S, GPU-0b1c2d3e-0000-1111-2222-333344445555, 46068, 1024, 12, "
        + "40, 81.50, 550.90.07, 00000000:17:00.0, 8.9, " + errors + "\n");
  }
}
