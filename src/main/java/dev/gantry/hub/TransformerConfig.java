package dev.gantry.hub;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code config.json} numbers the KV cache depends on, read as vLLM reads them: the text config of a
 * multimodal wrapper, KV heads (several spellings; 1 for multi-query), head size (MLA: {@code kv_lora_rank
 * + qk_rope_head_dim}), the smallest of the context-length keys scaled by {@code rope_scaling.factor}
 * (not for {@code llama3}, {@code su}, {@code longrope}), and the dtype's width.
 */
public record TransformerConfig(int layers, int kvHeads, int headDim, long maxContext, int dtypeBytes, boolean mla) {

  private static final List<String> CONTEXT_KEYS = List.of("max_position_embeddings", "n_positions", "max_seq_len",
      "seq_length", "model_max_length", "max_target_positions", "max_sequence_length", "max_seq_length", "seq_len");
  private static final List<String> KV_HEAD_KEYS = List.of("n_head_kv", "num_kv_heads", "num_key_value_heads",
      "multi_query_group_num");

  public static TransformerConfig of(JsonObject config) {
    JsonObject text = config.getJsonObject("text_config");
    JsonObject c = text != null && text.containsKey("num_attention_heads") ? text : config;
    int heads = number(c, "num_attention_heads", 1);
    int kvHeads = KV_HEAD_KEYS.stream().filter(k -> c.getValue(k) instanceof Number).findFirst()
        .map(k -> c.getInteger(k)).orElse(heads);
    if (c.getBoolean("multi_query", false)) {
      kvHeads = 1;
    }
    boolean mla = c.getValue("kv_lora_rank") instanceof Number;
    int headDim = mla ? c.getInteger("kv_lora_rank") + number(c, "qk_rope_head_dim", 0)
        : c.getValue("head_dim") instanceof Number ? c.getInteger("head_dim")
        : c.getValue("hidden_size_per_head") instanceof Number ? c.getInteger("hidden_size_per_head")
        : number(c, "hidden_size", 0) / Math.max(1, heads);
    return new TransformerConfig(number(c, "num_hidden_layers", 0), kvHeads, headDim, context(c),
        dtypeBytes(c.getString("torch_dtype", c.getString("dtype", config.getString("torch_dtype", "bfloat16")))), mla);
  }

  /** KV cache bytes per token: 2 (K and V; 1 for MLA) × layers × KV heads × head size × dtype width. */
  public long kvBytesPerToken() {
    return (mla ? 1L : 2L) * layers * (mla ? 1 : kvHeads) * headDim * dtypeBytes;
  }

  private static long context(JsonObject c) {
    JsonObject scaling = c.getJsonObject("rope_scaling");
    String type = scaling == null ? null : scaling.getString("rope_type", scaling.getString("type"));
    long context = CONTEXT_KEYS.stream().filter(k -> c.getValue(k) instanceof Number).mapToLong(c::getLong).min()
        .orElse(2048);
    if ("yarn".equals(type) && scaling.getValue("original_max_position_embeddings") instanceof Number) {
      context = scaling.getLong("original_max_position_embeddings");
    }
    if (scaling != null && scaling.getValue("factor") instanceof Number factor
        && !List.of("su", "longrope", "llama3").contains(type)) {
      context = (long) (context * factor.doubleValue());
    }
    return context;
  }

  static int dtypeBytes(String dtype) {
    return switch (dtype == null ? "" : dtype) {
      case "float32" -> 4;
      case "float8", "float8_e4m3fn", "float8_e5m2", "int8" -> 1;
      default -> 2;
    };
  }

  private static int number(JsonObject c, String key, int fallback) {
    return c.getValue(key) instanceof Number n ? n.intValue() : fallback;
  }
}
