package dev.gantry.engine;

import dev.gantry.engine.backend.InstalledEngine;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to build one engine's command line.
 *
 * @param model      the model spec (backend, local_path or builtin_model, backend_parameters, env, run_command)
 * @param gpuIndexes indexes of the devices the instance was given (empty on CPU)
 * @param host       where the engine listens: {@link Backends#ENGINE_HOST}
 * @param engineKey  the bearer token the engine must require, derived from the cluster secret (never stored)
 * @param deviceType the runtime type of the devices given ({@code cuda}, {@code rocm}, {@code cann}, ...), which
 *                   picks the visibility variable ({@link DeviceVisibility}); null is {@code cuda}
 * @param engine     for vllm, sglang and mindie: the executable and version chosen on this node (else null)
 * @param workDir    a folder of this instance's own for files the engine reads (MindIE's config.json, key files)
 */
public record LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
    List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, String deviceType,
    InstalledEngine engine, Path workDir) {

  /** A spec for NVIDIA devices (or none), for the backends Gantry needs nothing more for. */
  public LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
      List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer) {
    this(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer, null, null, null);
  }

  /** A spec with the devices' runtime type. */
  public LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
      List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, String deviceType) {
    this(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer, deviceType, null,
        null);
  }

  /** A spec for an installed engine (vllm, sglang, mindie) on NVIDIA devices (or none). */
  public LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
      List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, InstalledEngine engine,
      Path workDir) {
    this(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer, null, engine,
        workDir);
  }
}
