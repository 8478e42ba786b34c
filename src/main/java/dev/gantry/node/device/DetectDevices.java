package dev.gantry.node.device;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs this machine's device detection once, as a node's heartbeat does, and writes the devices as the JSON
 * array a node record holds (to the file given, else stdout): {@code java -cp target/gantry.jar
 * dev.gantry.node.device.DetectDevices [out.json]}. Used by {@code scripts/gpu-check.sh} on a real GPU.
 */
public final class DetectDevices {

  private DetectDevices() {
  }

  public static void main(String[] args) throws IOException {
    List<Device> devices = AcceleratorDetector.fromSystemProperties("local").detect();
    JsonArray json = new JsonArray();
    devices.forEach(d -> json.add(d.toJson()));
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), json.encodePrettily() + "\n");
    } else {
      System.out.println(json.encodePrettily());
    }
  }
}
