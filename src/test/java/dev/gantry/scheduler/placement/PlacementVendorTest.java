package dev.gantry.scheduler.placement;

import static dev.gantry.scheduler.placement.Fixtures.PLACEMENT;
import static dev.gantry.scheduler.placement.Fixtures.gib;
import static dev.gantry.scheduler.placement.Fixtures.gpu;
import static dev.gantry.scheduler.placement.Fixtures.pending;
import static dev.gantry.scheduler.placement.Fixtures.placed;
import static dev.gantry.scheduler.placement.Fixtures.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which backend runs on which vendor ({@link BackendSupport}) and models pinned to a vendor. */
class PlacementVendorTest {

  /** n1: two NVIDIA GPUs and an AMD iGPU; n2: four Ascend chips; n3: two Cambricon MLUs. */
  private static final List<NodeView> MIXED = List.of(
      node("n1", "cuda:0:80", "cuda:1:80", "rocm:0:16"),
      node("n2", "cann:0:64", "cann:1:64", "cann:2:64", "cann:3:64"),
      node("n3", "neuware:0:48", "neuware:1:48"));

  private static NodeView node(String name, String... devices) {
    List<DeviceView> views = java.util.Arrays.stream(devices).map(d -> d.split(":"))
        .map(p -> new DeviceView(name + ":" + p[0] + ":" + p[1], p[0], p[0] + " device", gib(Double.parseDouble(p[2]))))
        .toList();
    return new NodeView(name, NodeState.READY, Map.of(), 64, gib(256), views);
  }

  @Test
  void mindieLandsOnlyOnAscendChips() {
    ReplicaRequest request = gpu("m", 10, 2).withBackend("mindie");

    List<PlacementDecision> decisions = PLACEMENT.placeAll(MIXED, List.of(), replicas(request, "m", 2));

    assertThat(decisions).extracting(d -> placed(d).node()).containsOnly("n2");
    assertThat(decisions).flatExtracting(d -> placed(d).deviceIds()).allMatch(id -> id.startsWith("n2:cann:"));
  }

  @Test
  void llamaCppSkipsVendorsWithoutABuildAndSaysWhichItRunsOn() {
    ReplicaRequest request = gpu("l", 10, 1).withBackend("llama.cpp");
    List<NodeView> noNvidia = List.of(MIXED.get(2));

    assertThat(pending(PLACEMENT.place(noNvidia, List.of(), request))).isEqualTo(
        "1 node: n3 has no device llama.cpp runs on (llama.cpp runs on nvidia, amd, ascend, hygon, mthreads;"
            + " it has cambricon)");
  }

  @Test
  void theMessageNamesTheTableForMindie() {
    ReplicaRequest request = gpu("m", 10, 1).withBackend("mindie");

    String message = pending(PLACEMENT.place(List.of(MIXED.get(0)), List.of(), request));

    assertThat(message).isEqualTo("1 node: n1 has no device mindie runs on (mindie runs on ascend only; it has amd, nvidia)");
  }

  @Test
  void aModelPinnedToAVendorUsesOnlyItsDevicesEvenBesideOthers() {
    ReplicaRequest amd = gpu("a", 10, 1).withBackend("vllm").withDeviceVendor("amd");
    ReplicaRequest nvidia = gpu("n", 10, 2).withBackend("vllm").withDeviceVendor("nvidia");

    assertThat(placed(PLACEMENT.place(MIXED, List.of(), amd)).deviceIds()).containsExactly("n1:rocm:0");
    assertThat(placed(PLACEMENT.place(MIXED, List.of(), nvidia)).deviceIds())
        .containsExactlyInAnyOrder("n1:cuda:0", "n1:cuda:1");
  }

  @Test
  void aVendorNoNodeHasIsNamedInTheMessage() {
    ReplicaRequest request = gpu("h", 10, 1).withBackend("vllm").withDeviceVendor("hygon");

    assertThat(pending(PLACEMENT.place(MIXED, List.of(), request))).isEqualTo("3 nodes: "
        + "n1 has no hygon device (the model's device_vendor; it has amd, nvidia); "
        + "n2 has no hygon device (the model's device_vendor; it has ascend); "
        + "n3 has no hygon device (the model's device_vendor; it has cambricon)");
  }

  @Test
  void backendsOutsideTheTableMayUseAnyDevice() {
    assertThat(BackendSupport.runsOn("custom", "neuware")).isTrue();
    assertThat(BackendSupport.runsOn(null, "maca")).isTrue();
    assertThat(BackendSupport.runsOn("vllm", "neuware")).isTrue();
    assertThat(BackendSupport.runsOn("sglang", "musa")).isFalse();
    assertThat(placed(PLACEMENT.place(List.of(MIXED.get(2)), List.of(), gpu("c", 10, 2).withBackend("custom")))
        .deviceIds()).containsExactlyInAnyOrder("n3:neuware:0", "n3:neuware:1");
  }
}
