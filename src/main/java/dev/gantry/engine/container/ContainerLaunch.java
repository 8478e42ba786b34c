package dev.gantry.engine.container;

import dev.gantry.common.DeviceVendor;
import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the command of an instance whose engine version is an image: the backend's own command for an
 * engine listening on {@link #CONTAINER_HOST} inside the container, wrapped by {@link ContainerCommand},
 * with its environment written to the instance's env file (0600). Blocks (writes the file): call it where
 * the engine is launched, off the event loop.
 */
public final class ContainerLaunch {

  /** Where the engine listens inside its container, so that the published port reaches it. */
  public static final String CONTAINER_HOST = "0.0.0.0";

  private ContainerLaunch() {
  }

  /**
   * @param spec    the launch spec with host {@link #CONTAINER_HOST} and the engine's executable as named in the image
   * @param envFile where the engine's environment is written
   */
  public static EngineCommand command(LaunchSpec spec, String image, ContainerRuntime runtime, String instanceName,
      Path envFile) {
    EngineCommand engine = Backends.command(spec);
    DeviceVendor vendor = spec.deviceType() == null ? DeviceVendor.NVIDIA
        : DeviceVendor.ofType(spec.deviceType()).orElse(DeviceVendor.NVIDIA);
    List<Integer> devices = spec.gpuIndexes();
    List<Path> mounts = ContainerCommand.mounts(engine, spec.model().getString("local_path"), Files::exists);
    try {
      EnvFile.write(envFile, ContainerCommand.environment(vendor, devices, engine));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the engine's env file " + envFile + ": " + e.getMessage(), e);
    }
    return ContainerCommand.wrap(runtime, image, instanceName, spec.port(), vendor, devices, mounts, envFile, engine,
        System.getenv());
  }
}
