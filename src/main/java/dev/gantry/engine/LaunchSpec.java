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
 * @param multiNode  this node's part of a replica over several nodes; null for a replica on one node
 * @param visibleIds what the visibility variable lists, one per {@code gpuIndexes} entry: a MIG device's UUID,
 *                   else the index; null = the indexes
 */
public record LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
    List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, String deviceType,
    InstalledEngine engine, Path workDir, MultiNodeLaunch multiNode, List<String> visibleIds) {

  /** A spec whose devices are named by their indexes. */
  public LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
      List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, String deviceType,
      InstalledEngine engine, Path workDir, MultiNodeLaunch multiNode) {
    this(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer, deviceType,
        engine, workDir, multiNode, null);
  }

  /** What the devices' visibility variable lists ({@link #visibleIds}, or the indexes). */
  public List<String> visibility() {
    return visibleIds != null ? visibleIds : gpuIndexes.stream().map(String::valueOf).toList();
  }

  /** The same spec with its devices named as the visibility variable must name them (MIG UUIDs). */
  public LaunchSpec withVisibleIds(List<String> ids) {
    return new LaunchSpec(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer,
        deviceType, engine, workDir, multiNode, ids);
  }

  /** A spec for a replica on one node. */
  public LaunchSpec(JsonObject model, String instanceId, String host, int port, String engineKey,
      List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer, String deviceType,
      InstalledEngine engine, Path workDir) {
    this(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer, deviceType,
        engine, workDir, null);
  }

  /** The same spec for one node's part of a replica over several nodes. */
  public LaunchSpec withMultiNode(MultiNodeLaunch part) {
    return new LaunchSpec(model, instanceId, host, port, engineKey, gpuIndexes, javaExecutable, classpath, llamaServer,
        deviceType, engine, workDir, part, visibleIds);
  }

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
