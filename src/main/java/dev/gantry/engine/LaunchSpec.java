package dev.gantry.engine;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Everything needed to build one engine's command line.
 *
 * @param model      the model spec (backend, local_path or builtin_model, backend_parameters, env, run_command)
 * @param gpuIndexes indexes of the devices the instance was given (empty on CPU)
 * @param secret     the bearer token the engine must require; the gateway sends it
 */
public record LaunchSpec(JsonObject model, String instanceId, String host, int port, String secret,
    List<Integer> gpuIndexes, String javaExecutable, String classpath, String llamaServer) {
}
