package dev.gantry.scheduler.placement;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one replica against the nodes of a ledger: filter (state, labels, selected devices of the
 * model's vendor that its backend runs on ({@link BackendSupport}), device count), then fit (device
 * memory per device, RAM, CPU). {@link #check} does the work without
 * allocating, leaving what it measured in fields so that {@link #freeOfChecked} can score the node
 * and {@link #describe} can say why it failed, without a second copy of the rules.
 */
final class ReplicaFit {

  private final CapacityLedger ledger;
  private final ReplicaRequest request;
  private final boolean[] selected;
  /** The device type of the model's vendor; null when it is not pinned. */
  private final String pinnedType;

  private int eligible;
  private int fitting;
  private long largestFree;
  private long deviceFree;
  private int otherVendor;
  private int unsupported;

  ReplicaFit(CapacityLedger ledger, ReplicaRequest request) {
    this.ledger = ledger;
    this.request = request;
    this.pinnedType = request.deviceVendor() == null ? null
        : DeviceVendor.ofKey(request.deviceVendor()).map(DeviceVendor::type).orElse("unknown vendor " + request.deviceVendor());
    this.selected = request.deviceIds().isEmpty() ? null : selectedDevices();
  }

  /** Returns null when node {@code n} can take the replica, otherwise the first check it failed. */
  Reason check(int n) {
    NodeView node = ledger.node(n);
    if (node.state() != NodeState.READY) {
      return Reason.of(node.state());
    }
    if (mismatchedLabel(node) != null) {
      return Reason.LABEL;
    }
    if (!node.runs(request.backend())) {
      return Reason.NO_BACKEND;
    }
    if (!request.onCpu()) {
      Reason devices = checkDevices(n);
      if (devices != null) {
        return devices;
      }
    }
    if (request.ram() > 0 && ledger.ramFree(n) < request.ram()) {
      return Reason.RAM;
    }
    if (request.cpuCores() > 0 && ledger.cpuFree(n) < request.cpuCores()) {
      return Reason.CPU;
    }
    return null;
  }

  /** Free capacity of the last node that passed {@link #check}: device memory, or RAM on CPU. */
  long freeOfChecked(int n) {
    return request.onCpu() ? ledger.ramFree(n) : deviceFree;
  }

  /** Devices of node {@code n} (which passed {@link #check}) the replica takes, best first. */
  List<String> chooseDevices(int n) {
    if (request.onCpu()) {
      return List.of();
    }
    Integer[] candidates = new Integer[ledger.endDevice(n) - ledger.firstDevice(n)];
    int count = 0;
    for (int d = ledger.firstDevice(n); d < ledger.endDevice(n); d++) {
      if (usable(d) && ledger.deviceFree(d) >= request.memoryPerDevice()) {
        candidates[count++] = d;
      }
    }
    Arrays.sort(candidates, 0, count,
        request.strategy() == Strategy.BINPACK ? this::fullestFirst : this::emptiestFirst);
    List<String> ids = new ArrayList<>(request.devicesPerReplica());
    for (int i = 0; i < request.devicesPerReplica(); i++) {
      ids.add(ledger.device(candidates[i]).id());
    }
    return ids;
  }

  /** Why node {@code n} cannot take the replica, in words starting with its name. */
  String describe(int n) {
    return ledger.node(n).name() + " " + describe(check(n), n);
  }

  private String describe(Reason reason, int n) {
    int needed = request.devicesPerReplica();
    return switch (reason) {
      case NOT_READY, UNREACHABLE, MAINTENANCE, STOPPING, STOPPED -> reason.category;
      case LABEL -> "label " + mismatchedLabel(ledger.node(n)) + " does not match";
      case NO_BACKEND -> "cannot start a " + request.backend() + " engine";
      case NO_SELECTED_DEVICE -> "has none of the selected devices";
      case NO_ACCELERATOR -> "has no accelerator";
      case NO_PINNED_VENDOR -> "has no " + request.deviceVendor() + " device (the model's device_vendor; it has "
          + vendorsOf(n) + ")";
      case NO_SUPPORTED_DEVICE -> "has no device " + request.backend() + " runs on (" + request.backend() + " runs on "
          + BackendSupport.vendors(request.backend()) + "; it has " + vendorsOf(n) + ")";
      case TOO_FEW_DEVICES -> "has " + eligible + (selected != null ? " of the selected devices"
          : eligible == 1 ? " device" : " devices") + ", needs " + needed;
      case DEVICE_MEMORY -> describeDeviceMemory();
      case RAM -> "needs " + PendingMessage.bytes(request.ram()) + " RAM, free is "
          + PendingMessage.bytes(ledger.ramFree(n));
      case CPU -> "needs " + request.cpuCores() + " CPU cores, free is " + Math.max(0, ledger.cpuFree(n));
    };
  }

  private String describeDeviceMemory() {
    String memory = PendingMessage.bytes(request.memoryPerDevice());
    String largest = "largest free is " + PendingMessage.bytes(largestFree);
    int needed = request.devicesPerReplica();
    if (needed == 1) {
      return "needs " + memory + " on one device, " + largest;
    }
    String enough = fitting == 0 ? largest : "only " + fitting + (fitting == 1 ? " has" : " have") + " that free";
    return "needs " + memory + " on each of " + needed + " devices, " + enough;
  }

  private Reason checkDevices(int n) {
    eligible = 0;
    fitting = 0;
    largestFree = Long.MIN_VALUE;
    deviceFree = 0;
    long needed = request.memoryPerDevice();
    otherVendor = 0;
    unsupported = 0;
    for (int d = ledger.firstDevice(n); d < ledger.endDevice(n); d++) {
      if (!usable(d)) {
        if (selectable(d)) {
          if (!ofPinnedVendor(d)) {
            otherVendor++;
          } else {
            unsupported++;
          }
        }
        continue;
      }
      long free = ledger.deviceFree(d);
      eligible++;
      deviceFree += free;
      largestFree = Math.max(largestFree, free);
      if (free >= needed) {
        fitting++;
      }
    }
    if (eligible == 0) {
      return otherVendor > 0 ? Reason.NO_PINNED_VENDOR : unsupported > 0 ? Reason.NO_SUPPORTED_DEVICE
          : selected == null ? Reason.NO_ACCELERATOR : Reason.NO_SELECTED_DEVICE;
    }
    if (eligible < request.devicesPerReplica()) {
      return Reason.TOO_FEW_DEVICES;
    }
    return fitting < request.devicesPerReplica() ? Reason.DEVICE_MEMORY : null;
  }

  /** A device the replica may take: selected (or any accelerator), of its vendor, one its backend runs on. */
  private boolean usable(int d) {
    return selectable(d) && ofPinnedVendor(d) && BackendSupport.runsOn(request.backend(), ledger.device(d).type());
  }

  private boolean selectable(int d) {
    return selected == null ? ledger.device(d).isAccelerator() : selected[d];
  }

  private boolean ofPinnedVendor(int d) {
    return pinnedType == null || pinnedType.equals(ledger.device(d).type());
  }

  /** The vendors of node {@code n}'s accelerators, e.g. {@code nvidia, amd}; {@code no accelerator} when none. */
  private String vendorsOf(int n) {
    Set<String> vendors = new TreeSet<>();
    for (int d = ledger.firstDevice(n); d < ledger.endDevice(n); d++) {
      String type = ledger.device(d).type();
      if (ledger.device(d).isAccelerator()) {
        vendors.add(DeviceVendor.ofType(type).map(DeviceVendor::key).orElse(type));
      }
    }
    return vendors.isEmpty() ? "no accelerator" : String.join(", ", vendors);
  }

  private String mismatchedLabel(NodeView node) {
    for (Map.Entry<String, String> wanted : request.nodeSelector().entrySet()) {
      if (!wanted.getValue().equals(node.labels().get(wanted.getKey()))) {
        return wanted.getKey() + "=" + wanted.getValue();
      }
    }
    return null;
  }

  private boolean[] selectedDevices() {
    boolean[] mask = new boolean[ledger.deviceCount()];
    for (String id : request.deviceIds()) {
      int d = ledger.deviceIndex(id);
      if (d >= 0) {
        mask[d] = ledger.device(d).isAccelerator();
      }
    }
    return mask;
  }

  private int emptiestFirst(Integer a, Integer b) {
    int byClaims = Integer.compare(ledger.deviceClaims(a), ledger.deviceClaims(b));
    if (byClaims != 0) {
      return byClaims;
    }
    int byFree = Long.compare(ledger.deviceFree(b), ledger.deviceFree(a));
    return byFree != 0 ? byFree : Integer.compare(a, b);
  }

  private int fullestFirst(Integer a, Integer b) {
    int byFree = Long.compare(ledger.deviceFree(a), ledger.deviceFree(b));
    return byFree != 0 ? byFree : Integer.compare(a, b);
  }
}
