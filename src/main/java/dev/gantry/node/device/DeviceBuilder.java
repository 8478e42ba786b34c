package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
/** What a parser has read of one device so far; {@link #build(String)} gives the {@link Device}. */
final class DeviceBuilder {

  private final DeviceVendor vendor;
  private final int index;
  String name;
  String uuid;
  Long memoryTotal;
  Long memoryUsed;
  Integer utilization;
  Integer temperature;
  Double power;
  String driverVersion;
  String runtimeVersion;
  String architecture;
  String health;
  String busId;
  String partition;
  Long eccErrors;

  DeviceBuilder(DeviceVendor vendor, int index) {
    this.vendor = vendor;
    this.index = index;
  }

  int index() {
    return index;
  }

  Device build(String node) {
    return new Device(Device.id(node, vendor.type(), index), vendor.key(), vendor.type(), index, name, uuid,
        memoryTotal, memoryUsed, utilization, temperature, power, driverVersion, runtimeVersion, architecture,
        health, busId, partition, eccErrors);
  }
}
