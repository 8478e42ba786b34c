package dev.gantry.engine.builtin.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.scheduler.estimate.GgufHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo chat model's file: its reply pieces, its size, the same bytes every time. */
class DemoChatModelTest {

  @TempDir
  Path dir;

  @Test
  void itsPiecesSpellTheReplyThatSaysWhatItIs() {
    assertThat(String.join("", DemoChatModel.PIECES).replace('▁', ' ')).isEqualTo(DemoChatModel.REPLY);
    assertThat(DemoChatModel.REPLY).contains("demo model", "deploy a real GGUF");
  }

  @Test
  void itIsASmallLlamaGgufWithTheReplyPiecesAsWordsAndTheSameBytesEveryTime() throws IOException {
    Path a = DemoChatModel.write(dir.resolve("a.gguf"));
    Path b = DemoChatModel.write(dir.resolve("b.gguf"));
    GgufHeader header = GgufHeader.read(a);

    assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    assertThat(Files.size(a)).isLessThan(150_000L);
    assertThat(header.string("general.name")).contains("gantry-tiny-chat");
    assertThat(header.embeddingLength()).hasValue(32);
    assertThat(header.array("tokenizer.ggml.tokens").subList(TinyVocab.FIRST_WORD, TinyVocab.FIRST_WORD + 20))
        .isEqualTo(List.copyOf(DemoChatModel.PIECES));
  }

  @Test
  void aFixedReplyNeedsDistinctPiecesAndAChannelForEach() {
    LlamaShape narrow = new LlamaShape(4, 1, 1, 1, 8, 64);

    assertThatThrownBy(() -> FixedReplyModel.write(dir.resolve("x.gguf"), "x", narrow, List.of("▁a", "▁b", "▁a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("each reply piece may appear once");
    assertThatThrownBy(() -> FixedReplyModel.write(dir.resolve("y.gguf"), "y", narrow, List.of("▁a", "▁b", "▁c", "▁d")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs dim > 4");
  }
}
