package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.DeviceVendor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DeviceTest {

  private static final Device H100 = new Device("n1:cuda:0", "nvidia", "cuda", 0, "NVIDIA H100 80GB HBM3",
      "GPU-c243da62-8186-d56f-82e3-384c377594c3", 81559L << 20, 1L << 20, 0, 30, 69.88);

  @Test
  void writesSnakeCaseFieldsForTheNodeRecord() {
    assertThat(H100.toJson()).isEqualTo(new JsonObject()
        .put("id", "n1:cuda:0")
        .put("vendor", "nvidia")
        .put("type", "cuda")
        .put("index", 0)
        .put("name", "NVIDIA H100 80GB HBM3")
        .put("uuid", "GPU-c243da62-8186-d56f-82e3-384c377594c3")
        .put("memory_total", 85_520_809_984L)
        .put("memory_used", 1_048_576L)
        .put("utilization", 0)
        .put("temperature", 30)
        .put("power", 69.88)
        .putNull("driver_version")
        .putNull("runtime_version")
        .putNull("architecture")
        .putNull("health")
        .putNull("bus_id")
        .putNull("partition")
        .putNull("ecc_errors"));
  }

  @Test
  void readsBackEveryField() {
    Device npu = new Device("a:cann:3", "ascend", "cann", 3, "310", null, 8192L << 20, 2703L << 20, 0, 73, 12.8,
        "21.0.4.B030", "8.0.RC1", "ascend310", "OK", "0000:89:00.0", null);

    assertThat(Device.fromJson(new JsonObject(npu.toJson().encode()))).isEqualTo(npu);
    assertThat(npu.toJson().getString("bus_id")).isEqualTo("0000:89:00.0");
  }

  @Test
  void theTypeOfAnIdIsItsMiddlePart() {
    assertThat(DeviceVendor.typeOfDeviceId("n1:cann:3")).isEqualTo("cann");
    assertThat(DeviceVendor.typeOfDeviceId("host:with:colons:rocm:0")).isEqualTo("rocm");
    assertThat(DeviceVendor.typeOfDeviceId("nothing")).isNull();
  }

  @Test
  void writesUnknownReadingsAsJsonNull() {
    Device gb10 = new Device("s:cuda:0", "nvidia", "cuda", 0, "NVIDIA GB10", null, null, null, null, 41, null);

    String json = gb10.toJson().encode();

    assertThat(json).contains("\"memory_total\":null", "\"power\":null", "\"uuid\":null", "\"temperature\":41");
  }

  @Test
  void readsBackWhatItWrites() {
    assertThat(Device.fromJson(new JsonObject(H100.toJson().encode()))).isEqualTo(H100);
  }

  @Test
  void idsFollowNodeTypeIndex() {
    assertThat(Device.id("worker-3", "rocm", 7)).isEqualTo("worker-3:rocm:7");
  }
}
