package dev.gantry.engine.builtin;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the built-in engine needs from a GGUF header, read with Gantry's one GGUF parser
 * ({@link dev.gantry.scheduler.estimate.GgufHeader}): architecture, trained context and embedding
 * length, and how many special tokens the tokenizer adds to a prompt (for exact prompt token counts).
 */
record GgufHeader(String architecture, long contextLength, int embeddingLength, int specialTokensAdded) {

  static boolean hasMagic(Path file) throws IOException {
    return dev.gantry.scheduler.estimate.GgufHeader.hasMagic(file);
  }

  /** @throws IllegalArgumentException naming the problem when the file is not a readable GGUF file */
  static GgufHeader read(Path file) throws IOException {
    dev.gantry.scheduler.estimate.GgufHeader header;
    try {
      header = dev.gantry.scheduler.estimate.GgufHeader.read(file);
    } catch (dev.gantry.scheduler.estimate.InvalidGgufException e) {
      String message = e.getMessage();
      String prefix = file + ": ";
      throw new IllegalArgumentException(message.startsWith(prefix) ? message.substring(prefix.length()) : message, e);
    }
    String architecture = header.architecture()
        .orElseThrow(() -> new IllegalArgumentException("its GGUF header has no general.architecture"));
    String tokenizer = header.string("tokenizer.ggml.model").orElse(null);
    boolean bert = "bert".equals(tokenizer);
    boolean bos = flag(header, "tokenizer.ggml.add_bos_token", bert || "llama".equals(tokenizer));
    boolean eos = flag(header, "tokenizer.ggml.add_eos_token", bert);
    return new GgufHeader(architecture, header.contextLength().orElse(0),
        (int) header.embeddingLength().orElse(0), (bos ? 1 : 0) + (eos ? 1 : 0));
  }

  private static boolean flag(dev.gantry.scheduler.estimate.GgufHeader header, String key, boolean fallback) {
    return header.metadata().get(key) instanceof Boolean value ? value : fallback;
  }
}
