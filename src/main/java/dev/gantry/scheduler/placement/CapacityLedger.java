package dev.gantry.scheduler.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Free capacity of every node and device, indexed by position so that placing a replica reads
 * arrays instead of maps. Nodes are ordered by name and devices by id (numbers compared as numbers),
 * which is what makes every tie-break deterministic. Claims on nodes or devices it does not know
 * are stale and ignored.
 */
final class CapacityLedger {

  private final PlacementConfig config;
  private final NodeView[] nodes;
  private final int[] firstDevice;
  private final DeviceView[] devices;
  private final int[] deviceNode;
  private final long[] deviceClaimed;
  private final int[] deviceClaims;
  private final long[] nodeRamClaimed;
  private final int[] nodeCpuClaimed;
  private final int[] nodeClaims;
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final Map<String, Integer> deviceIndex = new HashMap<>();

  CapacityLedger(List<NodeView> nodeViews, Collection<Claim> claims, PlacementConfig config) {
    this.config = config;
    this.nodes = nodeViews.stream().sorted(Comparator.comparing(NodeView::name)).toArray(NodeView[]::new);
    this.firstDevice = new int[nodes.length + 1];
    List<DeviceView> all = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int n = 0; n < nodes.length; n++) {
      if (nodeIndex.put(nodes[n].name(), n) != null) {
        throw new IllegalArgumentException("node " + nodes[n].name() + " is listed twice");
      }
      firstDevice[n] = all.size();
      for (DeviceView device : nodes[n].devices().stream().sorted(CapacityLedger::byId).toList()) {
        if (deviceIndex.put(device.id(), all.size()) != null) {
          throw new IllegalArgumentException("device " + device.id() + " is listed twice");
        }
        all.add(device);
        owners.add(n);
      }
    }
    firstDevice[nodes.length] = all.size();
    this.devices = all.toArray(DeviceView[]::new);
    this.deviceNode = owners.stream().mapToInt(Integer::intValue).toArray();
    this.deviceClaimed = new long[devices.length];
    this.deviceClaims = new int[devices.length];
    this.nodeRamClaimed = new long[nodes.length];
    this.nodeCpuClaimed = new int[nodes.length];
    this.nodeClaims = new int[nodes.length];
    claims.forEach(this::commit);
  }

  /** Adds a claim to the ledger, so that later placements see its node and devices as used. */
  void commit(Claim claim) {
    Integer n = nodeIndex.get(claim.node());
    if (n == null) {
      return;
    }
    nodeRamClaimed[n] += claim.ram();
    nodeCpuClaimed[n] += claim.cpuCores();
    nodeClaims[n]++;
    for (String id : claim.deviceIds()) {
      Integer d = deviceIndex.get(id);
      if (d != null && deviceNode[d] == n) {
        deviceClaimed[d] += claim.memoryPerDevice();
        deviceClaims[d]++;
      }
    }
  }

  int nodeCount() {
    return nodes.length;
  }

  NodeView node(int n) {
    return nodes[n];
  }

  int firstDevice(int n) {
    return firstDevice[n];
  }

  int endDevice(int n) {
    return firstDevice[n + 1];
  }

  int deviceCount() {
    return devices.length;
  }

  DeviceView device(int d) {
    return devices[d];
  }

  /** Position of a device, or -1 when no node has it. */
  int deviceIndex(String id) {
    return deviceIndex.getOrDefault(id, -1);
  }

  long deviceFree(int d) {
    return devices[d].memoryTotal() - deviceClaimed[d] - config.deviceMemoryReserve();
  }

  int deviceClaims(int d) {
    return deviceClaims[d];
  }

  long ramFree(int n) {
    return nodes[n].memoryTotal() - nodeRamClaimed[n] - config.ramReserve();
  }

  int cpuFree(int n) {
    return nodes[n].cpuCores() - nodeCpuClaimed[n];
  }

  int nodeClaims(int n) {
    return nodeClaims[n];
  }

  /** Orders {@code n1:cuda:2} before {@code n1:cuda:10}. */
  private static int byId(DeviceView a, DeviceView b) {
    String x = a.id();
    String y = b.id();
    int i = x.lastIndexOf(':') + 1;
    int j = y.lastIndexOf(':') + 1;
    if (x.substring(0, i).equals(y.substring(0, j)) && isNumber(x, i) && isNumber(y, j)) {
      int bySuffix = Long.compare(Long.parseLong(x.substring(i)), Long.parseLong(y.substring(j)));
      if (bySuffix != 0) {
        return bySuffix;
      }
    }
    return x.compareTo(y);
  }

  private static boolean isNumber(String s, int from) {
    return from < s.length() && from > s.length() - 19
        && s.substring(from).chars().allMatch(Character::isDigit);
  }
}
