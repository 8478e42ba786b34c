package dev.gantry.engine.backend;

import dev.gantry.engine.MultiNodeLaunch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each engine starts one node's part of a replica over several nodes (docs/ARCHITECTURE.md, engine
 * contracts, multi-node), from {@code reference/engines.md} §6:
 * <ul>
 *   <li>vLLM ≥ {@value #VLLM_MULTIPROCESS_SINCE}: the multiprocess executor on every node,
 *       {@code --distributed-executor-backend mp --tensor-parallel-size T --pipeline-parallel-size N --nnodes N
 *       --node-rank r --master-addr <leader> --master-port P}, workers with {@code --headless}. Older vLLM can
 *       only do this through a Ray cluster, which Gantry does not start: refused with a message naming the version.</li>
 *   <li>SGLang: the same command on every node with {@code --tp-size T --pp-size N --nnodes N --node-rank r
 *       --dist-init-addr <leader>:P}.</li>
 *   <li>MindIE: {@code multiNodesInferEnabled}/{@code multiNodesInferPort} in config.json, a rank table file
 *       ({@code RANK_TABLE_FILE}) listing every node and device, and the HCCL environment.</li>
 * </ul>
 * Gantry owns these options: a model's {@code backend_parameters} may not set them.
 */
public final class MultiNodeOptions {

  /**
   * vLLM PR #23691 ("Support MP Executor for multi node distributed inference") added --nnodes/--node-rank; it was
   * merged in the week to 2025-11-21 (vLLM weekly summary), after v0.11.1 was cut, with #28879, #28834 and #28701,
   * which the v0.12.0 release notes list. So v0.12.0 is the first release with it (its own line in those notes
   * was not seen).
   */
  public static final String VLLM_MULTIPROCESS_SINCE = "0.12.0";
  static final List<String> VLLM_OWNED = List.of("--nnodes", "--node-rank", "--master-addr", "--master-port",
      "--headless");
  static final List<String> SGLANG_OWNED = List.of("--nnodes", "--node-rank", "--dist-init-addr");
  private static final List<String> VLLM_SPLIT = List.of("--tensor-parallel-size", "-tp", "--pipeline-parallel-size",
      "-pp", "--distributed-executor-backend");
  private static final List<String> SGLANG_SPLIT = List.of("--tp-size", "--tp", "--pp-size", "--pp");

  private MultiNodeOptions() {
  }

  static List<String> vllm(MultiNodeLaunch part, EngineVersion version, List<String> parameters) {
    if (version != null && version.before(VLLM_MULTIPROCESS_SINCE)) {
      throw new IllegalArgumentException("vllm " + version + " runs one replica over several nodes only on a Ray"
          + " cluster, which Gantry does not start; choose backend_version " + VLLM_MULTIPROCESS_SINCE
          + " or newer (--nnodes/--node-rank with the multiprocess executor), or set distributed: off");
    }
    refuseSplit("vllm", VLLM_SPLIT, parameters);
    List<String> argv = new ArrayList<>(List.of("--distributed-executor-backend", "mp",
        "--tensor-parallel-size", String.valueOf(part.tensorParallel()),
        "--pipeline-parallel-size", String.valueOf(part.nodes()),
        "--nnodes", String.valueOf(part.nodes()), "--node-rank", String.valueOf(part.rank()),
        "--master-addr", part.leaderAddress(), "--master-port", String.valueOf(part.rendezvousPort())));
    if (!part.leader()) {
      argv.add("--headless");
    }
    return argv;
  }

  static List<String> sglang(MultiNodeLaunch part, List<String> parameters) {
    refuseSplit("sglang", SGLANG_SPLIT, parameters);
    return List.of("--tp-size", String.valueOf(part.tensorParallel()), "--pp-size", String.valueOf(part.nodes()),
        "--nnodes", String.valueOf(part.nodes()), "--node-rank", String.valueOf(part.rank()),
        "--dist-init-addr", part.leaderAddress() + ":" + part.rendezvousPort());
  }

  /** MindIE: turns multi-node inference on in {@code backend} (config.json's BackendConfig) and answers the extra environment. */
  static Map<String, String> mindie(MultiNodeLaunch part, JsonObject backend, Path workDir) {
    backend.put("multiNodesInferEnabled", true).put("multiNodesInferPort", part.rendezvousPort())
        .put("interNodeTLSEnabled", false);
    Path table = workDir.resolve("ranktable.json");
    try {
      Files.writeString(table, rankTable(part).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + table + ": " + e.getMessage(), e);
    }
    String own = part.hosts().get(part.rank()).address();
    int world = part.hosts().stream().mapToInt(h -> Math.max(1, h.deviceIndexes().size())).sum();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RANK_TABLE_FILE", table.toString());
    env.put("RANKTABLEFILE", table.toString());
    env.put("WORLD_SIZE", String.valueOf(world));
    env.put("MIES_CONTAINER_IP", own);
    env.put("HOST_IP", own);
    env.put("ATB_LLM_HCCL_ENABLE", "1");
    env.put("ATB_LLM_COMM_BACKEND", "hccl");
    env.put("HCCL_CONNECT_TIMEOUT", "7200");
    return env;
  }

  /** GPUStack's rank table: every node (the leader first) with its devices and their global ranks. */
  static JsonObject rankTable(MultiNodeLaunch part) {
    JsonArray servers = new JsonArray();
    int rank = 0;
    for (MultiNodeLaunch.Host host : part.hosts()) {
      JsonArray devices = new JsonArray();
      for (int index : host.deviceIndexes().isEmpty() ? List.of(0) : host.deviceIndexes()) {
        devices.add(new JsonObject().put("device_id", String.valueOf(index)).put("device_ip", host.address())
            .put("rank_id", String.valueOf(rank++)));
      }
      servers.add(new JsonObject().put("server_id", host.address()).put("container_ip", host.address())
          .put("device", devices));
    }
    return new JsonObject().put("version", "1.0").put("server_count", String.valueOf(part.hosts().size()))
        .put("server_list", servers).put("status", "completed");
  }

  private static void refuseSplit(String backend, List<String> owned, List<String> parameters) {
    for (String word : parameters) {
      String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      if (owned.contains(name)) {
        throw new IllegalArgumentException("backend_parameters may not set " + name + " for a " + backend
            + " replica over several nodes: Gantry splits it (tensor parallel over each node's devices, pipeline"
            + " parallel across nodes)");
      }
    }
  }
}
