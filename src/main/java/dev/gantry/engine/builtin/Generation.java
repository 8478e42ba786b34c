package dev.gantry.engine.builtin;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One text generation, run on the calling (worker) thread: pulls pieces of text from the model
 * one sampled token at a time, hands the non-empty ones to a sink, and stops when the model stops,
 * when {@code maxTokens} are spent, or as soon as the client is gone.
 */
final class Generation {

  /** The model's stream of sampled tokens: one piece of text per token, then one final, empty, stop result. */
  interface TokenSource {
    boolean hasNext();

    String next();

    void cancel();
  }

  /** What a generation produced; {@code finishReason} is {@code stop} or {@code length} as OpenAI names it. */
  record Result(String text, int completionTokens, String finishReason, boolean cancelled) {}

  private Generation() {}

  static Result run(TokenSource source, int maxTokens, Consumer<String> sink, BooleanSupplier cancelled) {
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    String last = "";
    while (source.hasNext()) {
      if (cancelled.getAsBoolean()) {
        source.cancel();
        return new Result(text.toString(), tokens, "stop", true);
      }
      String piece = source.next();
      boolean isFinal = !source.hasNext();
      if (!isFinal) {
        tokens++;
        last = piece;
      }
      if (!piece.isEmpty()) {
        text.append(piece);
        sink.accept(piece);
      }
    }
    // A token limit shows as a full budget whose last token produced text; an end-of-generation
    // token or a matched stop string leaves an empty last piece instead.
    String finish = tokens >= maxTokens && !last.isEmpty() ? "length" : "stop";
    return new Result(text.toString(), tokens, finish, false);
  }
}
