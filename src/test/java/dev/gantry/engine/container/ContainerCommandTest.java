package dev.gantry.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.config.ContainerConfig;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.EngineExecutables;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.engine.backend.InstalledEngine;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line of an engine run as a container, written out per runtime and device vendor. */
class ContainerCommandTest {

  private Path dir;
  private Path weights;
  private Path envFile;

  @BeforeEach
  void files() throws Exception {
    dir = TestFiles.tempDir("gantry-container-");
    weights = Files.createDirectories(dir.resolve("models/qwen"));
    envFile = dir.resolve("work/inst-1.env");
  }

  @AfterEach
  void clean() {
    TestFiles.deleteRecursively(dir);
  }

  private LaunchSpec spec(String backend, String executable, List<Integer> gpus, String deviceType, String... parameters) {
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", backend).put("local_path", weights.toString())
        .put("backend_parameters", new JsonArray(List.of(parameters)));
    return new LaunchSpec(model, "inst1", ContainerLaunch.CONTAINER_HOST, 40001, "s3cret", gpus, "/jdk/bin/java",
        "/opt/gantry.jar", "llama-server", deviceType, new InstalledEngine(backend, "0.11.2", executable), null);
  }

  @Test
  void vllmOnTwoNvidiaGpusRunsItsImageWithThePortPublishedOnLoopbackAndTheModelReadOnly() throws Exception {
    EngineCommand command = ContainerLaunch.command(spec("vllm", "vllm", List.of(2, 3), "cuda", "--max-model-len=8192"),
        "vllm/vllm-openai:v0.11.2", new ContainerRuntime("docker", "/usr/bin/docker"), "qwen-0", envFile);

    assertThat(command.argv()).containsExactly("/usr/bin/docker", "run", "--rm", "--name", "gantry-qwen-0",
        "--publish", "127.0.0.1:40001:40001", "--env-file", envFile.toString(), "--ipc", "host",
        "--gpus", "\"device=2,3\"", "--volume", weights + ":" + weights + ":ro",
        "--entrypoint", "vllm", "vllm/vllm-openai:v0.11.2",
        "serve", weights.toString(), "--host", "0.0.0.0", "--port", "40001", "--served-model-name", "qwen",
        "--max-model-len=8192");
    assertThat(String.join(" ", command.argv())).doesNotContain("s3cret");
    assertThat(command.env()).doesNotContainKeys("VLLM_API_KEY", "CUDA_VISIBLE_DEVICES");
    assertThat(command.container().name()).isEqualTo("gantry-qwen-0");
    assertThat(command.container().stopArgv()).containsExactly("/usr/bin/docker", "stop", "--time", "10", "gantry-qwen-0");
    assertThat(command.container().removeArgv()).containsExactly("/usr/bin/docker", "rm", "--force", "gantry-qwen-0");
    assertThat(command.healthPath()).isEqualTo("/health");
    assertThat(command.identityPath()).isEqualTo("/v1/models");

    assertThat(Files.readAllLines(envFile)).contains("VLLM_API_KEY=s3cret", "CUDA_VISIBLE_DEVICES=0,1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
  }

  @Test
  void podmanGetsNvidiaDevicesThroughCdi() {
    EngineCommand command = ContainerLaunch.command(spec("vllm", "vllm", List.of(1), "cuda"), "img:1",
        new ContainerRuntime("podman", "/usr/bin/podman"), "qwen-0", envFile);
    assertThat(String.join(" ", command.argv())).contains("--ipc host --device nvidia.com/gpu=1 --volume")
        .doesNotContain("--gpus");
  }

  @Test
  void amdGetsKfdAndDriAndKeepsTheHostNumbers() throws Exception {
    EngineCommand command = ContainerLaunch.command(spec("vllm", "vllm", List.of(1), "rocm"), "img:1",
        new ContainerRuntime("docker", "docker"), "qwen-0", envFile);
    assertThat(String.join(" ", command.argv()))
        .contains("--ipc host --device /dev/kfd --device /dev/dri --group-add video --volume");
    assertThat(Files.readAllLines(envFile)).contains("HIP_VISIBLE_DEVICES=1");
  }

  @Test
  void ascendGetsItsDavinciDevicesManagersAndDriverRenumberedFromZero() throws Exception {
    EngineCommand command = ContainerLaunch.command(spec("vllm", "vllm", List.of(4, 5), "cann"), "img:1",
        new ContainerRuntime("docker", "docker"), "qwen-0", envFile);
    assertThat(String.join(" ", command.argv())).contains("--ipc host --device /dev/davinci4 --device /dev/davinci5"
        + " --device /dev/davinci_manager --device /dev/devmm_svm --device /dev/hisi_hdc"
        + " --volume /usr/local/Ascend/driver:/usr/local/Ascend/driver:ro --volume " + weights);
    assertThat(Files.readAllLines(envFile)).contains("ASCEND_RT_VISIBLE_DEVICES=0,1");
  }

  @Test
  void vendorsWithoutAContainerPassThroughAreRefusedWithTheWayOut() {
    assertThatThrownBy(() -> ContainerLaunch.command(spec("vllm", "vllm", List.of(0), "musa"), "img:1",
        new ContainerRuntime("docker", "docker"), "qwen-0", envFile))
        .hasMessageContaining("mthreads devices need the engine run as a process");
  }

  @Test
  void everyExistingAbsolutePathTheEngineReadsIsMountedOnceReadOnly() throws Exception {
    Path draft = Files.createDirectories(dir.resolve("drafts/small"));
    Files.writeString(weights.resolve("config.json"), "{}");
    EngineCommand engine = new EngineCommand(List.of("vllm", "serve", weights.toString(), "--draft=" + draft,
        "--inside", weights.resolve("config.json").toString(), "--not-there", "/nonexistent/x", "--list", "/a,/b"),
        Map.of(), "/health", null);
    assertThat(ContainerCommand.mounts(engine, weights.toString(), Files::exists)).containsExactly(weights, draft);
  }

  @Test
  void theClientGetsOnlyTheNodesRuntimeSettings() {
    EngineCommand engine = new EngineCommand(List.of("vllm", "serve"), Map.of("VLLM_API_KEY", "s3cret"), "/health", null);
    EngineCommand command = ContainerCommand.wrap(new ContainerRuntime("docker", "docker"), "img:1", "q-0", 40001,
        dev.gantry.common.DeviceVendor.NVIDIA, List.of(), List.of(), envFile, engine,
        Map.of("DOCKER_HOST", "unix:///run/user/0/docker.sock", "GANTRY_CLUSTER_SECRET", "x", "PATH", "/usr/bin"));
    assertThat(command.env()).containsExactly(Map.entry("DOCKER_HOST", "unix:///run/user/0/docker.sock"));
  }

  @Test
  void aValueSpanningLinesCannotGoInAnEnvFile() {
    assertThatThrownBy(() -> EnvFile.write(envFile, Map.of("A", "x\ny"))).hasMessageContaining("spans lines");
  }

  @Test
  void imagesAreOfferedOnlyInContainerModeAndOnlyWhileTheRuntimeIsFound() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Map<String, String> noDocker = Map.of("PATH", bin.toString());
    ContainerConfig on = new ContainerConfig(true, "docker", Map.of("vllm:0.11.2", "vllm/vllm-openai:v0.11.2"));
    assertThat(new EngineExecutables("llama-server", null, noDocker, on).engines()).isEmpty();
    assertThat(new EngineExecutables("llama-server", null, noDocker, ContainerConfig.OFF).engines()).isEmpty();

    Path docker = Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexit 0\n");
    docker.toFile().setExecutable(true);
    EngineExecutables found = new EngineExecutables("llama-server", null, noDocker, on);
    assertThat(found.containerRuntime()).contains(new ContainerRuntime("docker", docker.toString()));
    assertThat(found.engines()).contains(new InstalledEngine("vllm", "0.11.2", "image:vllm/vllm-openai:v0.11.2"),
        new InstalledEngine("vllm", "0.27.1", "image:gpustack/runner:cuda13.0-vllm0.27.1"),
        new InstalledEngine("mindie", "2.3.0", "image:gpustack/runner:cann8.5-a3-mindie2.3.0"));
    assertThat(found.available()).contains("vllm", "sglang", "mindie");
    assertThat(new EngineExecutables("llama-server", null, noDocker, ContainerConfig.OFF).engines()).isEmpty();
  }

  @Test
  void anImageOptionThatNamesNoVersionedBackendIsRefused() {
    assertThatThrownBy(() -> ContainerImages.of(Map.of("llama.cpp:1", "x"))).hasMessageContaining("backend:version=image");
    assertThatThrownBy(() -> ContainerImages.of(Map.of("vllm", "x"))).hasMessageContaining("vllm:0.11.2=vllm/vllm-openai");
  }
}
