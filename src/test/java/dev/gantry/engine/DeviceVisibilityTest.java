package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceVisibilityTest {

  @Test
  void eachVendorGetsItsOwnVariable() {
    List<Integer> two = List.of(1, 3);
    assertThat(DeviceVisibility.env("cuda", two))
        .isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "1,3", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
    assertThat(DeviceVisibility.env("rocm", two)).isEqualTo(Map.of("HIP_VISIBLE_DEVICES", "1,3"));
    assertThat(DeviceVisibility.env("dtk", two)).isEqualTo(Map.of("HIP_VISIBLE_DEVICES", "1,3"));
    assertThat(DeviceVisibility.env("cann", two)).isEqualTo(Map.of("ASCEND_RT_VISIBLE_DEVICES", "1,3"));
    assertThat(DeviceVisibility.env("musa", two)).isEqualTo(
        Map.of("MUSA_VISIBLE_DEVICES", "1,3", "CUDA_VISIBLE_DEVICES", "1,3", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
    assertThat(DeviceVisibility.env("corex", two))
        .isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "1,3", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
    assertThat(DeviceVisibility.env("maca", two))
        .isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "1,3", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
    assertThat(DeviceVisibility.env("neuware", two)).isEqualTo(Map.of("MLU_VISIBLE_DEVICES", "1,3"));
  }

  @Test
  void noDevicesNoVariablesAndAnUnknownTypeIsCuda() {
    assertThat(DeviceVisibility.env("cann", List.of())).isEmpty();
    assertThat(DeviceVisibility.env(null, List.of(0))).containsEntry("CUDA_VISIBLE_DEVICES", "0");
  }

  @Test
  void anEngineOnAscendChipsGetsAscendRtVisibleDevicesAndNoCudaVariable() {
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", "llama.cpp").put("local_path", "/m.gguf");
    EngineCommand command = Backends.command(new LaunchSpec(model, "i1", "127.0.0.1", 40001, "k", List.of(4, 5),
        "/jdk/bin/java", "cp", "llama-server", "cann"));

    assertThat(command.env()).containsEntry("ASCEND_RT_VISIBLE_DEVICES", "4,5")
        .doesNotContainKeys("CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES");
  }

  @Test
  void theModelsOwnValueWins() {
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", "llama.cpp").put("local_path", "/m.gguf")
        .put("env", new JsonObject().put("HIP_VISIBLE_DEVICES", "0"));
    EngineCommand command = Backends.command(new LaunchSpec(model, "i1", "127.0.0.1", 40001, "k", List.of(2),
        "/jdk/bin/java", "cp", "llama-server", "rocm"));

    assertThat(command.env()).containsEntry("HIP_VISIBLE_DEVICES", "0");
  }
}
