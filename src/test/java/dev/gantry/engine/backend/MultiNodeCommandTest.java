package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.MultiNodeLaunch;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of each node's part of a replica over two nodes (2 devices each), written out per engine. */
class MultiNodeCommandTest {

  @TempDir
  Path work;

  private static final List<MultiNodeLaunch.Host> HOSTS = List.of(new MultiNodeLaunch.Host("10.0.0.1", List.of(0, 1)),
      new MultiNodeLaunch.Host("10.0.0.2", List.of(2, 3)));

  private static MultiNodeLaunch rank(int rank) {
    return new MultiNodeLaunch(2, rank, "10.0.0.1", 40002, 2, HOSTS);
  }

  @Test
  void vllmRunsTheMultiprocessExecutorOnEveryNodeAndItsWorkersHeadless() {
    EngineCommand leader = Backends.command(VllmBackendTest.spec("vllm", "0.12.0", "/e/vllm", List.of(0, 1), null,
        "--max-model-len=8192").withMultiNode(rank(0)));
    assertThat(leader.argv()).containsExactly("/e/vllm", "serve", "/models/qwen", "--host", "127.0.0.1", "--port",
        "40001", "--served-model-name", "qwen", "--distributed-executor-backend", "mp", "--tensor-parallel-size", "2",
        "--pipeline-parallel-size", "2", "--nnodes", "2", "--node-rank", "0", "--master-addr", "10.0.0.1",
        "--master-port", "40002", "--max-model-len=8192");
    EngineCommand worker = Backends.command(VllmBackendTest.spec("vllm", "0.12.0", "/e/vllm", List.of(2, 3), null)
        .withMultiNode(rank(1)));
    assertThat(worker.argv()).containsExactly("/e/vllm", "serve", "/models/qwen", "--host", "127.0.0.1", "--port",
        "40001", "--served-model-name", "qwen", "--distributed-executor-backend", "mp", "--tensor-parallel-size", "2",
        "--pipeline-parallel-size", "2", "--nnodes", "2", "--node-rank", "1", "--master-addr", "10.0.0.1",
        "--master-port", "40002", "--headless");
    assertThat(worker.env()).containsEntry("CUDA_VISIBLE_DEVICES", "2,3");
  }

  @Test
  void vllmBeforeTheMultiprocessRendezvousIsRefusedNamingTheVersionAndTheWayOut() {
    assertThatThrownBy(() -> Backends.command(VllmBackendTest.spec("vllm", "0.11.2", "/e/vllm", List.of(0), null)
        .withMultiNode(rank(0))))
        .hasMessageContaining("vllm 0.11.2 runs one replica over several nodes only on a Ray cluster")
        .hasMessageContaining("choose backend_version 0.12.0 or newer");
  }

  @Test
  void theSplitAndTheRendezvousAreGantrysOptions() {
    assertThatThrownBy(() -> Backends.command(VllmBackendTest.spec("vllm", "0.12.0", "/e/vllm", List.of(0), null,
        "--tensor-parallel-size=4").withMultiNode(rank(0))))
        .hasMessageContaining("may not set --tensor-parallel-size for a vllm replica over several nodes");
    assertThatThrownBy(() -> EngineBackends.check("vllm", "", List.of("--nnodes", "2")))
        .hasMessageContaining("may not set --nnodes for backend 'vllm'");
    assertThatThrownBy(() -> EngineBackends.check("sglang", "", List.of("--dist-init-addr=h:1")))
        .hasMessageContaining("may not set --dist-init-addr for backend 'sglang'");
  }

  @Test
  void sglangRunsTheSameCommandOnEveryNodeWithItsRankAndTheLeadersAddress() {
    EngineCommand worker = Backends.command(VllmBackendTest.spec("sglang", "0.5.4.post3", "/e/sglang", List.of(2, 3),
        work, "--context-length", "2048").withMultiNode(rank(1)));
    assertThat(worker.argv()).containsExactly("/e/sglang", "serve", "--model-path", "/models/qwen", "--host",
        "127.0.0.1", "--port", "40001", "--served-model-name", "qwen", "--enable-metrics", "--config",
        work.resolve("sglang-args.yaml").toString(), "--tp-size", "2", "--pp-size", "2", "--nnodes", "2",
        "--node-rank", "1", "--dist-init-addr", "10.0.0.1:40002", "--context-length", "2048");
  }

  @Test
  void mindieTurnsMultiNodeInferenceOnAndWritesTheRankTable() throws Exception {
    EngineCommand leader = Backends.command(VllmBackendTest.spec("mindie", "2.3.0", "/e/mindie/bin/mindieservice_daemon",
        List.of(0, 1), work).withMultiNode(rank(0)));
    JsonObject backend = new JsonObject(Files.readString(work.resolve("config.json"))).getJsonObject("BackendConfig");
    assertThat(backend.getBoolean("multiNodesInferEnabled")).isTrue();
    assertThat(backend.getInteger("multiNodesInferPort")).isEqualTo(40002);
    assertThat(new JsonObject(Files.readString(work.resolve("ranktable.json")))).isEqualTo(new JsonObject("""
        {"version":"1.0","server_count":"2","status":"completed","server_list":[
         {"server_id":"10.0.0.1","container_ip":"10.0.0.1","device":[
           {"device_id":"0","device_ip":"10.0.0.1","rank_id":"0"},{"device_id":"1","device_ip":"10.0.0.1","rank_id":"1"}]},
         {"server_id":"10.0.0.2","container_ip":"10.0.0.2","device":[
           {"device_id":"2","device_ip":"10.0.0.2","rank_id":"2"},{"device_id":"3","device_ip":"10.0.0.2","rank_id":"3"}]}]}
        """));
    assertThat(leader.env()).containsEntry("RANK_TABLE_FILE", work.resolve("ranktable.json").toString())
        .containsEntry("WORLD_SIZE", "4").containsEntry("MIES_CONTAINER_IP", "10.0.0.1").containsEntry("HOST_IP", "10.0.0.1")
        .containsEntry("ATB_LLM_HCCL_ENABLE", "1").containsEntry("ASCEND_RT_VISIBLE_DEVICES", "0,1");
    assertThat(leader.argv()).containsExactly("/e/mindie/bin/mindieservice_daemon");
  }
}
