package dev.gantry.hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Safetensors headers and config.json files of real models, built from their published tensor layouts
 * (transformers' Qwen2 and Llama modules with the published configs, {@code reference/model-hubs.md} §3.5):
 * the header of each file only, no weights.
 */
final class PublishedShapes {

  static final long QWEN_PARAMETERS = 494_032_768L;
  static final long QWEN_FILE_BYTES = 988_097_824L;
  static final long LLAMA_PARAMETERS = 8_030_261_248L;
  static final long LLAMA_TOTAL_SIZE = 16_060_522_496L;

  /** Qwen2.5-0.5B-Instruct: one model.safetensors, tied embeddings, q/k/v biases. */
  static Map<String, long[]> qwen() {
    Map<String, long[]> t = new LinkedHashMap<>();
    t.put("model.embed_tokens.weight", new long[] {151936, 896});
    for (int i = 0; i < 24; i++) {
      String p = "model.layers." + i + ".";
      t.put(p + "self_attn.q_proj.weight", new long[] {896, 896});
      t.put(p + "self_attn.q_proj.bias", new long[] {896});
      t.put(p + "self_attn.k_proj.weight", new long[] {128, 896});
      t.put(p + "self_attn.k_proj.bias", new long[] {128});
      t.put(p + "self_attn.v_proj.weight", new long[] {128, 896});
      t.put(p + "self_attn.v_proj.bias", new long[] {128});
      t.put(p + "self_attn.o_proj.weight", new long[] {896, 896});
      t.put(p + "mlp.gate_proj.weight", new long[] {4864, 896});
      t.put(p + "mlp.up_proj.weight", new long[] {4864, 896});
      t.put(p + "mlp.down_proj.weight", new long[] {896, 4864});
      t.put(p + "input_layernorm.weight", new long[] {896});
      t.put(p + "post_attention_layernorm.weight", new long[] {896});
    }
    t.put("model.norm.weight", new long[] {896});
    return t;
  }

  static JsonObject qwenConfig() {
    return new JsonObject().put("architectures", new JsonArray().add("Qwen2ForCausalLM")).put("hidden_size", 896)
        .put("num_hidden_layers", 24).put("num_attention_heads", 14).put("num_key_value_heads", 2)
        .put("intermediate_size", 4864).put("vocab_size", 151936).put("max_position_embeddings", 32768)
        .put("sliding_window", 32768).put("use_sliding_window", false).put("tie_word_embeddings", true)
        .put("torch_dtype", "bfloat16");
  }

  /** Llama-3.1-8B-Instruct: four shards, in the order of its model.safetensors.index.json (layers split across them). */
  static List<Map<String, long[]>> llamaShards() {
    List<Map<String, long[]>> shards = List.of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
        new LinkedHashMap<>());
    shards.get(0).put("model.embed_tokens.weight", new long[] {128256, 4096});
    for (int i = 0; i < 32; i++) {
      Map<String, long[]> t = shards.get(i < 9 ? 0 : i < 20 ? 1 : i < 31 ? 2 : 3);
      String p = "model.layers." + i + ".";
      t.put(p + "self_attn.q_proj.weight", new long[] {4096, 4096});
      t.put(p + "self_attn.k_proj.weight", new long[] {1024, 4096});
      t.put(p + "self_attn.v_proj.weight", new long[] {1024, 4096});
      t.put(p + "self_attn.o_proj.weight", new long[] {4096, 4096});
      t.put(p + "mlp.gate_proj.weight", new long[] {14336, 4096});
      t.put(p + "mlp.up_proj.weight", new long[] {14336, 4096});
      t.put(p + "mlp.down_proj.weight", new long[] {4096, 14336});
      t.put(p + "input_layernorm.weight", new long[] {4096});
      t.put(p + "post_attention_layernorm.weight", new long[] {4096});
    }
    shards.get(3).put("model.norm.weight", new long[] {4096});
    shards.get(3).put("lm_head.weight", new long[] {128256, 4096});
    return shards;
  }

  static JsonObject llamaConfig() {
    return new JsonObject().put("architectures", new JsonArray().add("LlamaForCausalLM")).put("hidden_size", 4096)
        .put("num_hidden_layers", 32).put("num_attention_heads", 32).put("num_key_value_heads", 8)
        .put("intermediate_size", 14336).put("vocab_size", 128256).put("max_position_embeddings", 131072)
        .put("rope_scaling", new JsonObject().put("factor", 8.0).put("low_freq_factor", 1.0).put("high_freq_factor", 4.0)
            .put("original_max_position_embeddings", 8192).put("rope_type", "llama3"))
        .put("tie_word_embeddings", false).put("torch_dtype", "bfloat16");
  }

  /** The JSON header of a BF16 file holding {@code tensors}, padded with spaces to {@code padTo} bytes (and to 8). */
  static byte[] header(Map<String, long[]> tensors, int padTo) {
    JsonObject header = new JsonObject().put("__metadata__", new JsonObject().put("format", "pt"));
    long offset = 0;
    for (Map.Entry<String, long[]> e : tensors.entrySet()) {
      long numel = 1;
      JsonArray shape = new JsonArray();
      for (long d : e.getValue()) {
        numel *= d;
        shape.add(d);
      }
      header.put(e.getKey(), new JsonObject().put("dtype", "BF16").put("shape", shape)
          .put("data_offsets", new JsonArray().add(offset).add(offset + 2 * numel)));
      offset += 2 * numel;
    }
    StringBuilder text = new StringBuilder(header.encode());
    while (text.length() < padTo || text.length() % 8 != 0) {
      text.append(' ');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A safetensors file cut after its header: what a Range read of the header sees. */
  static byte[] fileHead(byte[] header) {
    return ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array();
  }

  private PublishedShapes() {
  }
}
