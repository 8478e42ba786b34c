package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.gantry.common.Ids;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Estimates from safetensors headers read with Range requests and config.json, for real model shapes. */
class SafetensorsEstimateTest {

  static FakeHub hub;

  @BeforeAll
  static void start() {
    hub = new FakeHub();
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void qwenHalfBillionFromOneHeaderMatchesItsPublishedParametersAndSize() throws Exception {
    String repo = "Qwen-" + Ids.random(5) + "/Qwen2.5-0.5B-Instruct";
    hub.add(repo, "7ae557604adf67be50417f59c2c2f167def9a775", Map.of(
        "model.safetensors", PublishedShapes.fileHead(PublishedShapes.header(PublishedShapes.qwen(), 0)),
        "config.json", PublishedShapes.qwenConfig().encode().getBytes()), false);

    HubEstimate estimate = estimate(repo, 0, "llama.cpp", List.of());

    assertThat(estimate.parameters()).isCloseTo(PublishedShapes.QWEN_PARAMETERS, withinPercentage(5));
    assertThat(estimate.weightBytes()).isCloseTo(PublishedShapes.QWEN_FILE_BYTES, withinPercentage(5));
    assertThat(estimate.kvBytesPerToken()).isEqualTo(12_288);
    assertThat(estimate.context()).isEqualTo(32_768);
    assertThat(estimate.kvBytes()).isEqualTo(384L << 20);
    assertThat(estimate.totalBytes()).isEqualTo(estimate.weightBytes() + (384L << 20) + (256L << 20));
  }

  @Test
  void llamaEightBillionFromFourShardsMatchesItsPublishedTotalAndKvCache() throws Exception {
    String repo = "meta-" + Ids.random(5) + "/Llama-3.1-8B-Instruct";
    Map<String, byte[]> files = new HashMap<>();
    List<Map<String, long[]>> shards = PublishedShapes.llamaShards();
    for (int i = 0; i < shards.size(); i++) {
      int pad = i == 0 ? 150_000 : 0;
      files.put("model-0000" + (i + 1) + "-of-00004.safetensors",
          PublishedShapes.fileHead(PublishedShapes.header(shards.get(i), pad)));
    }
    files.put("config.json", PublishedShapes.llamaConfig().encode().getBytes());
    hub.add(repo, "0e9e39f249a16976918f6564b8830bc894c89659", files, false);

    HubEstimate atEightK = estimate(repo, 8192, "llama.cpp", List.of());
    HubEstimate vllm = estimate(repo, 8192, "vllm", List.of("--gpu-memory-utilization", "0.8"));

    assertThat(atEightK.parameters()).isCloseTo(PublishedShapes.LLAMA_PARAMETERS, withinPercentage(5));
    assertThat(atEightK.weightBytes()).isCloseTo(PublishedShapes.LLAMA_TOTAL_SIZE, withinPercentage(5));
    assertThat(atEightK.kvBytesPerToken()).isEqualTo(131_072);
    assertThat(atEightK.kvBytes()).isEqualTo(1L << 30);
    assertThat(estimate(repo, 0, "llama.cpp", List.of()).context()).as("llama3 rope scaling is not multiplied")
        .isEqualTo(131_072);
    assertThat(vllm.totalBytes()).isEqualTo((long) ((atEightK.weightBytes() + (1L << 30) + (1L << 30)) / 0.8));
    assertThat(vllm.breakdown()).contains("8.03B parameters").contains("vllm");
  }

  @Test
  void aHeaderLengthOutOfRangeIsRefusedWithAMessage() {
    byte[] huge = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};

    assertThatThrownBy(() -> SafetensorsHeader.headerLength(huge)).isInstanceOf(IOException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void mlaAndMultiQueryConfigsSizeTheirKvCacheTheirOwnWay() {
    TransformerConfig deepseek = TransformerConfig.of(new io.vertx.core.json.JsonObject().put("num_hidden_layers", 61)
        .put("num_attention_heads", 128).put("kv_lora_rank", 512).put("qk_rope_head_dim", 64)
        .put("max_position_embeddings", 163840).put("torch_dtype", "bfloat16"));
    TransformerConfig falcon = TransformerConfig.of(new io.vertx.core.json.JsonObject().put("num_hidden_layers", 32)
        .put("num_attention_heads", 71).put("hidden_size", 4544).put("multi_query", true).put("n_positions", 2048));

    assertThat(deepseek.kvBytesPerToken()).isEqualTo(61L * 576 * 2);
    assertThat(falcon.kvBytesPerToken()).isEqualTo(2L * 32 * 1 * 64 * 2);
    assertThat(falcon.maxContext()).isEqualTo(2048);
  }

  private static HubEstimate estimate(String repo, long context, String backend, List<String> parameters)
      throws IOException {
    HubSnapshot snapshot = ModelHub.snapshot(ModelHub.of(HubKind.HUGGINGFACE, new HubHttp()),
        new HubRequest(HubKind.HUGGINGFACE, hub.endpoint(), repo, "main", null, null));
    return new HubEstimator(new HubHttp()).estimate(snapshot, null, context, backend, parameters).orElseThrow();
  }
}
