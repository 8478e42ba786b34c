package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generation loop over a scripted token source shaped like java-llama.cpp's stream. */
class GenerationTest {

  /** Pieces as llama.cpp streams them: one per sampled token, then the final empty stop result. */
  private static final class ScriptedSource implements Generation.TokenSource {
    private final Deque<String> pieces;
    private boolean cancelled;
    private int served;

    ScriptedSource(String... pieces) {
      this.pieces = new ArrayDeque<>(List.of(pieces));
      this.pieces.add("");
    }

    @Override
    public boolean hasNext() {
      return !cancelled && !pieces.isEmpty();
    }

    @Override
    public String next() {
      served++;
      return pieces.removeFirst();
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Test
  void endsWithStopWhenTheModelEmitsEndOfGeneration() {
    List<String> sent = new ArrayList<>();

    Generation.Result result = Generation.run(new ScriptedSource(" Hello", " there", ""), 10, sent::add, () -> false);

    assertThat(result).isEqualTo(new Generation.Result(" Hello there", 3, "stop", false));
    assertThat(sent).containsExactly(" Hello", " there");
  }

  @Test
  void endsWithLengthWhenTheTokenBudgetIsSpent() {
    Generation.Result result = Generation.run(new ScriptedSource(" Hello", " there"), 2, piece -> { }, () -> false);

    assertThat(result.finishReason()).isEqualTo("length");
    assertThat(result.completionTokens()).isEqualTo(2);
  }

  @Test
  void endsWithStopWhenAStopStringSwallowsTheLastToken() {
    Generation.Result result = Generation.run(new ScriptedSource(" Hello", ""), 2, piece -> { }, () -> false);

    assertThat(result).isEqualTo(new Generation.Result(" Hello", 2, "stop", false));
  }

  @Test
  void cancelsTheModelAsSoonAsTheClientIsGone() {
    ScriptedSource source = new ScriptedSource(" a", " b", " c", " d");
    List<String> sent = new ArrayList<>();

    Generation.Result result = Generation.run(source, 100, sent::add, () -> sent.size() >= 2);

    assertThat(source.cancelled).isTrue();
    assertThat(source.served).isEqualTo(2);
    assertThat(result.cancelled()).isTrue();
    assertThat(result.completionTokens()).isEqualTo(2);
  }
}
