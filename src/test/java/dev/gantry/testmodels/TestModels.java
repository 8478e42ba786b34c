package dev.gantry.testmodels;

import dev.gantry.engine.builtin.demo.FixedReplyModel;
import dev.gantry.engine.builtin.demo.LlamaShape;
import dev.gantry.engine.builtin.demo.TensorInit;
import dev.gantry.engine.builtin.demo.TensorValues;
import dev.gantry.engine.builtin.demo.TinyGgufWriter;
import dev.gantry.engine.builtin.demo.TinyVocab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Tiny llama-architecture GGUF models that real engines (llama-server, java-llama.cpp) load and run.
 *
 * <ul>
 *   <li>{@link #deterministic}: whatever the prompt, greedy or sampled, it replies {@link #REPLY} and
 *       then its end-of-turn token, so tests can assert the exact text, usage and finish reason.</li>
 *   <li>{@link #random}: N(0, 0.02) weights of any size, for throughput; it never emits byte or
 *       control tokens (llama-server answers 500 to invalid UTF-8), so it always runs to max_tokens.</li>
 * </ul>
 *
 * <p>From scripts: {@code java -cp target/classes:target/test-classes dev.gantry.testmodels.TestModels deterministic out.gguf}
 * or {@code ... TestModels random out.gguf [dim layers heads feedForward words]}.
 */
public final class TestModels {

  /** The deterministic model's reply, whatever it is asked. */
  public static final String REPLY = "Hello from Gantry.";
  /** The word pieces {@link #REPLY} is made of, in order. */
  public static final List<String> REPLY_PIECES = List.of("Hello", "▁from", "▁Gantry", ".");
  /** Completion tokens llama-server reports for the reply: the pieces and the end-of-turn token. */
  public static final int COMPLETION_TOKENS = REPLY_PIECES.size() + 1;
  /**
   * Prompt tokens llama-server reports for one user message "Hi": {@code <s>}, the ChatML specials
   * and one byte token per byte of the rest of
   * {@code "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"} (no word piece matches it).
   */
  public static final int PROMPT_TOKENS_FOR_HI = 22;

  /** The deterministic model's dimensions: 64 wide, 2 layers, 4 heads. */
  public static final LlamaShape DETERMINISTIC_SHAPE = new LlamaShape(64, 2, 4, 4, 128, 2048);

  private static final float BANNED_LOGIT_WEIGHT = -100f;
  private static final long SEED = 20240917L;

  private TestModels() {
  }

  /** Writes the deterministic model: a {@link FixedReplyModel} that answers {@link #REPLY}. */
  public static Path deterministic(Path file) throws IOException {
    return FixedReplyModel.write(file, "gantry-deterministic", DETERMINISTIC_SHAPE, REPLY_PIECES);
  }

  /** A random model with 4 heads per 256 channels, a 3 × dim feed-forward and 8,000 words. */
  public static Path random(Path file, int dim, int layers) throws IOException {
    return random(file, dim, layers, Math.max(1, dim / 64), 3 * dim, 8000);
  }

  /**
   * Writes a random model: N(0, 0.02) weights from a fixed seed, a vocabulary of the specials, the
   * byte tokens and {@code words} pseudo-words. Embedding channel 0 is 1 for every token and no
   * layer writes to it, so after the final norm it is a large positive constant; {@code output.weight}
   * gives byte, control and unknown tokens -100 on it, a logit no sampler picks.
   */
  public static Path random(Path file, int dim, int layers, int heads, int feedForward, int words)
      throws IOException {
    TinyVocab vocab = TinyVocab.withWords(pseudoWords(words));
    LlamaShape shape = new LlamaShape(dim, layers, heads, heads, feedForward, 4096);
    TensorInit init = (name, rows, cols) -> {
      if (name.endsWith("norm.weight")) {
        return TensorValues.filled(rows * cols, 1f);
      }
      float[] values = TensorValues.gaussian(SEED, name, rows * cols, 0.02);
      if (name.equals("token_embd.weight")) {
        setColumn0(values, rows, cols, token -> 1f);
      } else if (name.equals("output.weight")) {
        setColumn0(values, rows, cols, token -> vocab.isNormal(token) ? 0f : BANNED_LOGIT_WEIGHT);
      } else if (name.endsWith("attn_output.weight") || name.endsWith("ffn_down.weight")) {
        Arrays.fill(values, 0, cols, 0f);
      }
      return values;
    };
    return TinyGgufWriter.llama("gantry-random", shape, vocab, init).write(file);
  }

  private static void setColumn0(float[] values, int rows, int cols, IntToDoubleFunction value) {
    for (int row = 0; row < rows; row++) {
      values[row * cols] = (float) value.applyAsDouble(row);
    }
  }

  /** Distinct three-syllable words with a leading ▁ ("▁bakidu"), all plain ASCII. */
  static List<String> pseudoWords(int count) {
    String consonants = "bdfgklmnprstvz";
    String vowels = "aeiou";
    int syllables = consonants.length() * vowels.length();
    if (count > syllables * syllables * syllables) {
      throw new IllegalArgumentException("at most " + syllables * syllables * syllables + " words");
    }
    List<String> words = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder word = new StringBuilder("▁");
      for (int n = i, s = 0; s < 3; s++, n /= syllables) {
        int syllable = n % syllables;
        word.append(consonants.charAt(syllable / vowels.length())).append(vowels.charAt(syllable % vowels.length()));
      }
      words.add(word.toString());
    }
    return words;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || !List.of("deterministic", "random").contains(args[0])) {
      System.err.println("usage: TestModels deterministic OUT.gguf | TestModels random OUT.gguf "
          + "[dim layers heads feedForward words]  (random defaults: 256 4 4 768 8000)");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    if (args[0].equals("deterministic")) {
      deterministic(out);
    } else {
      int[] n = {256, 4, 4, 768, 8000};
      for (int i = 2; i < args.length && i < 7; i++) {
        n[i - 2] = Integer.parseInt(args[i]);
      }
      random(out, n[0], n[1], n[2], n[3], n[4]);
    }
    System.out.println(out.toAbsolutePath());
  }
}
