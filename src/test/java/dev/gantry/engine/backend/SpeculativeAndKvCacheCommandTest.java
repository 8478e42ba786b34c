package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command-line contract of {@code speculative} and {@code kv_cache} per backend and version range,
 * with the expected argv written out (the options come after Gantry's own and before backend_parameters).
 */
class SpeculativeAndKvCacheCommandTest {

  private static final List<String> VLLM_BASE = List.of("/e/vllm", "serve", "/models/qwen", "--host", "127.0.0.1",
      "--port", "40001", "--served-model-name", "qwen");
  private static Path work;
  private static Path newLlama;
  private static Path oldLlama;

  @BeforeAll
  static void llamaServerBuilds() throws Exception {
    work = TestFiles.tempDir("gantry-tuning-");
    newLlama = helpScript("new", "--spec-draft-model, -md, --model-draft FNAME\n--spec-draft-n-max N\n"
        + "--spec-type none,draft-simple,ngram-simple\n--draft, --draft-n, --draft-max N  the argument has been removed\n"
        + "-cram, --cache-ram N\n");
    oldLlama = helpScript("old", "-md, --model-draft FNAME\n--draft-max, --draft, --draft-n N\n");
  }

  @AfterAll
  static void clean() {
    TestFiles.deleteRecursively(work);
  }

  private static Path helpScript(String name, String help) throws Exception {
    Path script = work.resolve(name + "/llama-server");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\ncat <<'HELP'\n" + help + "HELP\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private static LaunchSpec spec(String backend, String version, JsonObject speculative, JsonObject kv) {
    LaunchSpec spec = VllmBackendTest.spec(backend, version, "/e/" + backend, List.of(0), work.resolve(backend + version),
        "--max-model-len", "4096");
    spec.model().put("speculative", speculative).put("kv_cache", kv);
    return spec;
  }

  private static JsonObject draft(int tokens) {
    return new JsonObject().put("algorithm", "draft_model").put("draft_model", "/models/draft.gguf").put("num_draft_tokens", tokens);
  }

  private static List<String> tail(EngineCommand command, int from) {
    return command.argv().subList(from, command.argv().size());
  }

  @Test
  void vllmFrom080TakesOneSpeculativeConfigJson() {
    EngineCommand command = Backends.command(spec("vllm", "0.11.2", new JsonObject().put("algorithm", "eagle3")
        .put("draft_model", "/models/eagle3").put("num_draft_tokens", 3), null));
    assertThat(command.argv()).containsExactlyElementsOf(concat(VLLM_BASE, "--speculative-config",
        "{\"method\":\"eagle3\",\"model\":\"/models/eagle3\",\"num_speculative_tokens\":3}", "--max-model-len", "4096"));
  }

  @Test
  void vllmBefore080TakesTheSeparateOptions() {
    EngineCommand command = Backends.command(spec("vllm", "0.7.3", new JsonObject().put("algorithm", "ngram")
        .put("num_draft_tokens", 5).put("ngram_min", 2).put("ngram_max", 4), null));
    assertThat(tail(command, VLLM_BASE.size())).containsExactly("--speculative-model", "[ngram]",
        "--num-speculative-tokens", "5", "--ngram-prompt-lookup-max", "4", "--ngram-prompt-lookup-min", "2",
        "--max-model-len", "4096");
  }

  @Test
  void vllmMtpIsDeepseekMtpBefore0110AndMtpFromIt() {
    JsonObject mtp = new JsonObject().put("algorithm", "mtp");
    assertThat(tail(Backends.command(spec("vllm", "0.10.2", mtp, null)), VLLM_BASE.size()))
        .startsWith("--speculative-config", "{\"method\":\"deepseek_mtp\"}");
    assertThat(tail(Backends.command(spec("vllm", "0.11.0", mtp, null)), VLLM_BASE.size()))
        .startsWith("--speculative-config", "{\"method\":\"mtp\"}");
    assertThat(tail(Backends.command(spec("vllm", "0.16.0", mtp, null)), VLLM_BASE.size()))
        .startsWith("--speculative-config", "{\"method\":\"mtp\"}");
  }

  @Test
  void vllmRefusesAnAlgorithmItsVersionLacksNamingAlgorithmBackendAndVersion() {
    assertThatThrownBy(() -> Backends.command(spec("vllm", "0.8.2", new JsonObject().put("algorithm", "eagle3")
        .put("draft_model", "/d"), null)))
        .hasMessage("speculative algorithm 'eagle3' needs vllm >= 0.8.5; the chosen version is 0.8.2");
  }

  @Test
  void vllmKvCacheIsNativeOffloadingFrom0111AndLmcacheOtherwise() {
    JsonObject gib = new JsonObject().put("host_memory_gib", 16);
    assertThat(tail(Backends.command(spec("vllm", "0.11.2", null, gib)), VLLM_BASE.size()))
        .containsExactly("--kv-offloading-size", "16", "--kv-offloading-backend", "native", "--max-model-len", "4096");
    assertThat(tail(Backends.command(spec("vllm", "0.14.1", null, gib)), VLLM_BASE.size()))
        .as("the backend is named even where native may be the default: which release made it so is not known")
        .containsExactly("--kv-offloading-size", "16", "--kv-offloading-backend", "native", "--max-model-len", "4096");
    EngineCommand lmcache = Backends.command(spec("vllm", "0.10.1", null, gib.copy().put("chunk_size", 256)
        .put("storage", new JsonObject().put("path", "/ssd/kv").put("size_gib", 100))));
    assertThat(tail(lmcache, VLLM_BASE.size())).containsExactly("--kv-transfer-config",
        "{\"kv_connector\":\"LMCacheConnectorV1\",\"kv_role\":\"kv_both\"}", "--max-model-len", "4096");
    assertThat(lmcache.env()).containsEntry("LMCACHE_LOCAL_CPU", "True").containsEntry("LMCACHE_MAX_LOCAL_CPU_SIZE", "16")
        .containsEntry("LMCACHE_CHUNK_SIZE", "256").containsEntry("LMCACHE_LOCAL_DISK", "file:///ssd/kv/")
        .containsEntry("LMCACHE_MAX_LOCAL_DISK_SIZE", "100");
    assertThatThrownBy(() -> Backends.command(spec("vllm", "0.8.2", null, gib)))
        .hasMessage("kv_cache (LMCache connector) needs vllm >= 0.8.5; the chosen version is 0.8.2");
  }

  @Test
  void sglangTakesItsAlgorithmNamesAndHiCacheFlags() {
    EngineCommand command = Backends.command(spec("sglang", "0.5.4.post3", draft(4), new JsonObject()
        .put("host_memory_ratio", 2.5).put("chunk_size", 64)));
    List<String> argv = command.argv();
    int from = argv.indexOf("--enable-metrics") + 3;
    assertThat(argv.subList(from, argv.size())).containsExactly("--speculative-algorithm", "STANDALONE",
        "--speculative-draft-model-path", "/models/draft.gguf", "--speculative-num-draft-tokens", "4",
        "--enable-hierarchical-cache", "--hicache-ratio", "2.5", "--page-size", "64", "--max-model-len", "4096");
    EngineCommand eagle = Backends.command(spec("sglang", "0.5.4.post3", new JsonObject().put("algorithm", "ngram")
        .put("ngram_max", 8), new JsonObject().put("host_memory_gib", 32)));
    assertThat(eagle.argv()).containsSubsequence("--speculative-algorithm", "NGRAM",
        "--speculative-ngram-max-match-window-size", "8", "--enable-hierarchical-cache", "--hicache-size", "32");
  }

  @Test
  void sglangRefusesNgramWindowsFrom0510AndStandaloneBefore053() {
    assertThatThrownBy(() -> Backends.command(spec("sglang", "0.5.10", new JsonObject().put("algorithm", "ngram")
        .put("ngram_min", 2), null))).hasMessageContaining("sglang 0.5.10 removed the n-gram window options");
    assertThatThrownBy(() -> Backends.command(spec("sglang", "0.4.6", draft(2), null)))
        .hasMessage("speculative algorithm 'draft_model' needs sglang >= 0.5.3; the chosen version is 0.4.6");
  }

  @Test
  void mindieWritesMtpPluginParamsAndCpuMemSizeIntoItsConfig() throws Exception {
    LaunchSpec spec = spec("mindie", "2.3.0", new JsonObject().put("algorithm", "mtp").put("num_draft_tokens", 2),
        new JsonObject().put("host_memory_gib", 7.5));
    spec.model().remove("backend_parameters");
    EngineCommand command = Backends.command(spec);
    JsonObject model = new JsonObject(Files.readString(spec.workDir().resolve("config.json")))
        .getJsonObject("BackendConfig").getJsonObject("ModelDeployConfig").getJsonArray("ModelConfig").getJsonObject(0);
    assertThat(model.getString("plugin_params")).isEqualTo("{\"plugin_type\":\"mtp\",\"num_speculative_tokens\":2}");
    assertThat(model.getLong("cpuMemSize")).isEqualTo(8L);
    assertThat(command.env()).containsEntry("MIES_USE_MB_SWAPPER", "1");
    LaunchSpec old = spec("mindie", "2.0.RC1", new JsonObject().put("algorithm", "mtp").put("num_draft_tokens", 2), null);
    old.model().remove("backend_parameters");
    assertThatThrownBy(() -> Backends.command(old)).hasMessageContaining("mindie 2.0.RC1 drafts at most 1 MTP token(s)");
  }

  @Test
  void llamaServerAfterThe2026RefactorGetsSpecTypeAndSpecDraftNMax() {
    LaunchSpec spec = llamaSpec(newLlama, draft(6), new JsonObject().put("host_memory_gib", 2));
    assertThat(Backends.command(spec).argv()).containsExactly(newLlama.toString(), "--model", "/models/qwen.gguf",
        "--host", "127.0.0.1", "--port", "40001", "--alias", "qwen", "--metrics", "-md", "/models/draft.gguf",
        "--spec-type", "draft-simple", "--spec-draft-n-max", "6", "--cache-ram", "2048");
  }

  @Test
  void anOlderLlamaServerGetsDraftMaxAndNoCacheRam() {
    assertThat(Backends.command(llamaSpec(oldLlama, draft(6), null)).argv()).containsExactly(oldLlama.toString(),
        "--model", "/models/qwen.gguf", "--host", "127.0.0.1", "--port", "40001", "--alias", "qwen", "--metrics",
        "-md", "/models/draft.gguf", "--draft-max", "6");
    assertThatThrownBy(() -> Backends.command(llamaSpec(oldLlama, null, new JsonObject().put("host_memory_gib", 1))))
        .hasMessageContaining("kv_cache needs a llama.cpp build with --cache-ram");
  }

  private static LaunchSpec llamaSpec(Path server, JsonObject speculative, JsonObject kv) {
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", "llama.cpp").put("local_path", "/models/qwen.gguf")
        .put("speculative", speculative).put("kv_cache", kv);
    return new LaunchSpec(model, "inst1", "127.0.0.1", 40001, "s3cret", List.of(0), "/jdk/bin/java", "/opt/gantry.jar",
        server.toString());
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> out = new java.util.ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }
}
