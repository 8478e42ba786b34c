package dev.gantry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A fake machine for device detection: a sysfs tree with PCI devices ({@code bus/pci/devices/<addr>/
 * vendor|class}) and a directory of fake vendor tools (shell scripts printing a sample from
 * {@code src/test/resources/accelerators}). Point {@code AcceleratorDetector} at them with the
 * {@code gantry.sysfs} and {@code gantry.device.tools} system properties or its constructor.
 */
public final class FakeAccelerators {

  private final Path sysfs;
  private final Path tools;

  public FakeAccelerators(Path dir) {
    this.sysfs = dir.resolve("sys");
    this.tools = dir.resolve("tools");
    try {
      Files.createDirectories(sysfs.resolve("bus/pci/devices"));
      Files.createDirectories(tools);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path sysfs() {
    return sysfs;
  }

  public Path tools() {
    return tools;
  }

  /** A PCI device, e.g. {@code pci("0000:17:00.0", 0x10de, 0x030200)}. */
  public FakeAccelerators pci(String address, int vendor, int pciClass) {
    Path device = sysfs.resolve("bus/pci/devices").resolve(address);
    try {
      Files.createDirectories(device);
      Files.writeString(device.resolve("vendor"), String.format("0x%04x%n", vendor));
      Files.writeString(device.resolve("class"), String.format("0x%06x%n", pciClass));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A tool that prints {@code src/test/resources/accelerators/<sample>} and exits 0. */
  public FakeAccelerators toolPrinting(String tool, String sample) {
    Path copy = tools.resolve(tool + ".out");
    try (InputStream in = FakeAccelerators.class.getResourceAsStream("/accelerators/" + sample)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + sample);
      }
      Files.write(copy, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tool(tool, "cat '" + copy + "'");
  }

  /** A tool running {@code body} in sh. */
  public FakeAccelerators tool(String tool, String body) {
    Path file = tools.resolve(tool);
    try {
      Files.writeString(file, "#!/bin/sh\n" + body + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
