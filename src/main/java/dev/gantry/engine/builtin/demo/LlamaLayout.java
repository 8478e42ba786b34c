package dev.gantry.engine.builtin.demo;

import dev.gantry.engine.builtin.demo.TinyGgufWriter.ValueType;

/** The metadata and tensors of a llama-architecture GGUF, as llama.cpp's loader expects them. */
final class LlamaLayout {

  /** ChatML, the template of Qwen and many others; llama-server recognises it. */
  static final String CHATML_TEMPLATE = "{% for message in messages %}"
      + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
      + "{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private LlamaLayout() {
  }

  static TinyGgufWriter write(TinyGgufWriter gguf, String name, LlamaShape shape, TinyVocab vocab,
      TensorInit init) {
    gguf.string("general.architecture", "llama")
        .string("general.name", name)
        .uint32("general.file_type", 0)
        .uint32("llama.context_length", shape.contextLength())
        .uint32("llama.embedding_length", shape.dim())
        .uint32("llama.block_count", shape.layers())
        .uint32("llama.feed_forward_length", shape.feedForward())
        .uint32("llama.attention.head_count", shape.heads())
        .uint32("llama.attention.head_count_kv", shape.headsKv())
        .uint32("llama.rope.dimension_count", shape.headDim())
        .float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .string("tokenizer.ggml.model", "llama")
        .array("tokenizer.ggml.tokens", ValueType.STRING, vocab.tokens())
        .array("tokenizer.ggml.scores", ValueType.FLOAT32, vocab.scores())
        .array("tokenizer.ggml.token_type", ValueType.INT32, vocab.types())
        .uint32("tokenizer.ggml.unknown_token_id", TinyVocab.UNK)
        .uint32("tokenizer.ggml.bos_token_id", TinyVocab.BOS)
        .uint32("tokenizer.ggml.eos_token_id", TinyVocab.EOS)
        .uint32("tokenizer.ggml.eot_token_id", TinyVocab.IM_END)
        .value("tokenizer.ggml.add_bos_token", ValueType.BOOL, true)
        .value("tokenizer.ggml.add_eos_token", ValueType.BOOL, false)
        .value("tokenizer.ggml.add_space_prefix", ValueType.BOOL, false)
        .string("tokenizer.chat_template", CHATML_TEMPLATE);
    int dim = shape.dim();
    int kv = shape.headsKv() * shape.headDim();
    int ff = shape.feedForward();
    matrix(gguf, init, "token_embd.weight", vocab.size(), dim);
    for (int layer = 0; layer < shape.layers(); layer++) {
      String blk = "blk." + layer + ".";
      vector(gguf, init, blk + "attn_norm.weight", dim);
      matrix(gguf, init, blk + "attn_q.weight", dim, dim);
      matrix(gguf, init, blk + "attn_k.weight", kv, dim);
      matrix(gguf, init, blk + "attn_v.weight", kv, dim);
      matrix(gguf, init, blk + "attn_output.weight", dim, dim);
      vector(gguf, init, blk + "ffn_norm.weight", dim);
      matrix(gguf, init, blk + "ffn_gate.weight", ff, dim);
      matrix(gguf, init, blk + "ffn_up.weight", ff, dim);
      matrix(gguf, init, blk + "ffn_down.weight", dim, ff);
    }
    vector(gguf, init, "output_norm.weight", dim);
    matrix(gguf, init, "output.weight", vocab.size(), dim);
    return gguf;
  }

  /** A row-major [rows, cols] weight: {@code rows} outputs of {@code cols} inputs each. */
  private static void matrix(TinyGgufWriter gguf, TensorInit init, String name, int rows, int cols) {
    gguf.tensor(name, new int[] {rows, cols}, () -> init.values(name, rows, cols));
  }

  private static void vector(TinyGgufWriter gguf, TensorInit init, String name, int length) {
    gguf.tensor(name, new int[] {length}, () -> init.values(name, 1, length));
  }
}
