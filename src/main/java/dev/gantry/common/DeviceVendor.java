package dev.gantry.common;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The accelerator vendors Gantry detects: the PCI vendor id that says one is present, the runtime type
 * that names its devices ({@code <node>:<type>:<index>}), and the variables that pin an engine to some
 * of them (engines.md §1.3). In {@code common} because nodes detect them, the scheduler places by them and
 * engines are pinned with them.
 */
public enum DeviceVendor {
  NVIDIA("nvidia", "cuda", 0x10de, List.of("CUDA_VISIBLE_DEVICES")),
  AMD("amd", "rocm", 0x1002, List.of("HIP_VISIBLE_DEVICES")),
  ASCEND("ascend", "cann", 0x19e5, List.of("ASCEND_RT_VISIBLE_DEVICES")),
  HYGON("hygon", "dtk", 0x1d94, List.of("HIP_VISIBLE_DEVICES")),
  MTHREADS("mthreads", "musa", 0x1ed5, List.of("MUSA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES")),
  ILUVATAR("iluvatar", "corex", 0x1e3e, List.of("CUDA_VISIBLE_DEVICES")),
  METAX("metax", "maca", 0x9999, List.of("CUDA_VISIBLE_DEVICES")),
  CAMBRICON("cambricon", "neuware", 0xcabc, List.of("MLU_VISIBLE_DEVICES"));

  private final String key;
  private final String type;
  private final int pciVendorId;
  private final List<String> visibilityVariables;

  DeviceVendor(String key, String type, int pciVendorId, List<String> visibilityVariables) {
    this.key = key;
    this.type = type;
    this.pciVendorId = pciVendorId;
    this.visibilityVariables = visibilityVariables;
  }

  /** The vendor's name in device records and model specs: {@code nvidia}, {@code ascend}, ... */
  public String key() {
    return key;
  }

  /** The runtime type in device ids: {@code cuda}, {@code cann}, ... */
  public String type() {
    return type;
  }

  public int pciVendorId() {
    return pciVendorId;
  }

  /** The environment variables that list the devices an engine may use, most specific first. */
  public List<String> visibilityVariables() {
    return visibilityVariables;
  }

  public static Optional<DeviceVendor> ofPciId(int id) {
    return Arrays.stream(values()).filter(v -> v.pciVendorId == id).findFirst();
  }

  public static Optional<DeviceVendor> ofType(String type) {
    return Arrays.stream(values()).filter(v -> v.type.equals(type)).findFirst();
  }

  /** The runtime type of a device id ({@code cuda} of {@code n1:cuda:0}); null when it has no such part. */
  public static String typeOfDeviceId(String deviceId) {
    int last = deviceId.lastIndexOf(':');
    int before = last <= 0 ? -1 : deviceId.lastIndexOf(':', last - 1);
    return before < 0 ? null : deviceId.substring(before + 1, last);
  }

  public static Optional<DeviceVendor> ofKey(String key) {
    return Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst();
  }
}
