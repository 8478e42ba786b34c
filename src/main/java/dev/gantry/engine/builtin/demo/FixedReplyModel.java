package dev.gantry.engine.builtin.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * A llama-architecture GGUF that llama.cpp really runs and that answers one fixed sentence, whatever
 * it is asked, greedy or sampled, then its end-of-turn token (finish reason {@code stop}).
 *
 * <p>How: attention and feed-forward weights are ~N(0, 1e-3), so the residual stream is the current
 * token's embedding: channel 0 for any token outside the reply, channel 1 + i for reply piece i.
 * {@code output.weight} maps channel 0 to the first piece, each piece to the next and the last one to
 * {@code <|im_end|>}. Each piece therefore appears once in the reply, and the model needs one channel
 * per piece plus one.
 */
public final class FixedReplyModel {

  private static final float GAIN = 8f;
  private static final long SEED = 20240917L;

  private FixedReplyModel() {
  }

  /**
   * Writes the model, creating or replacing {@code file}; the same arguments give the same bytes.
   *
   * @param pieces the reply's word pieces in order, each distinct (a piece starts with ▁ where a space precedes it)
   */
  public static Path write(Path file, String name, LlamaShape shape, List<String> pieces) throws IOException {
    if (new HashSet<>(pieces).size() != pieces.size()) {
      throw new IllegalArgumentException("each reply piece may appear once: " + pieces);
    }
    if (shape.dim() <= pieces.size()) {
      throw new IllegalArgumentException("a reply of " + pieces.size() + " pieces needs dim > " + pieces.size());
    }
    TinyVocab vocab = TinyVocab.withWords(pieces);
    int count = pieces.size();
    TensorInit init = (tensor, rows, cols) -> switch (tensor) {
      case "token_embd.weight" -> TensorValues.oneHotRows(rows, cols, 1f, token -> replyIndex(token, count) + 1);
      case "output.weight" -> TensorValues.oneHotRows(rows, cols, GAIN, token -> {
        int index = replyIndex(token, count);
        return index >= 0 ? index : token == TinyVocab.IM_END ? count : -1;
      });
      default -> tensor.endsWith("norm.weight")
          ? TensorValues.filled(rows * cols, 1f) : TensorValues.gaussian(SEED, tensor, rows * cols, 1e-3);
    };
    return TinyGgufWriter.llama(name, shape, vocab, init).write(file);
  }

  private static int replyIndex(int token, int pieces) {
    int index = token - TinyVocab.FIRST_WORD;
    return index >= 0 && index < pieces ? index : -1;
  }
}
