package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says which accelerator vendors are present from sysfs: every {@code <sysfs>/bus/pci/devices/*} whose
 * {@code class} is a display controller (0x03xxxx) or a processing accelerator (0x12xxxx) and whose
 * {@code vendor} is one Gantry knows. The root is configurable so tests use a fake tree.
 */
public final class PciScan {

  private static final Logger LOG = LoggerFactory.getLogger(PciScan.class);

  private final Path sysfs;

  /** @param sysfs the sysfs mount, normally {@code /sys} */
  public PciScan(Path sysfs) {
    this.sysfs = sysfs;
  }

  /** The vendors with at least one accelerator; empty when sysfs has no PCI tree (not Linux, a jail). */
  public Optional<Set<DeviceVendor>> vendors() {
    Path devices = sysfs.resolve("bus/pci/devices");
    if (!Files.isDirectory(devices)) {
      return Optional.empty();
    }
    Set<DeviceVendor> found = EnumSet.noneOf(DeviceVendor.class);
    try (Stream<Path> entries = Files.list(devices)) {
      entries.forEach(device -> {
        Integer cls = hex(device.resolve("class"));
        Integer vendor = hex(device.resolve("vendor"));
        if (cls != null && vendor != null && ((cls >> 16) == 0x03 || (cls >> 16) == 0x12)) {
          DeviceVendor.ofPciId(vendor).ifPresent(found::add);
        }
      });
    } catch (IOException e) {
      LOG.warn("pci devices cannot be listed [dir: {}, reason: {}]", devices, e.getMessage());
      return Optional.empty();
    }
    return Optional.of(found);
  }

  private static Integer hex(Path file) {
    try {
      String text = Files.readString(file).strip();
      return Integer.parseInt(text.startsWith("0x") ? text.substring(2) : text, 16);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }
}
