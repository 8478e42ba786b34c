package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WordPiece ids checked against the bundled all-MiniLM-L6-v2 vocabulary (bert-base-uncased). */
class BertTokenizerTest {

  private static BertTokenizer tokenizer;

  @BeforeAll
  static void readBundledTokenizer() throws IOException {
    try (InputStream in = BertTokenizerTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      tokenizer = BertTokenizer.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void wrapsWordsInClsAndSep() {
    assertThat(tokenizer.encode("hello world")).containsExactly(101, 7592, 2088, 102);
  }

  @Test
  void lowercasesAndSplitsPunctuation() {
    assertThat(tokenizer.encode("Hello, World!")).containsExactly(101, 7592, 1010, 2088, 999, 102);
    assertThat(tokenizer.encode("don't")).containsExactly(101, 2123, 1005, 1056, 102);
  }

  @Test
  void splitsUnknownWordsIntoGreedyWordPieces() {
    assertThat(tokenizer.encode("gantry")).containsExactly(101, 25957, 11129, 102);
    assertThat(tokenizer.encode("embeddings")).containsExactly(101, 7861, 8270, 4667, 2015, 102);
  }

  @Test
  void stripsAccentsAndSpacesOutChineseCharacters() {
    assertThat(tokenizer.encode("Naïve café")).containsExactly(101, 15743, 7668, 102);
    assertThat(tokenizer.encode("中文")).containsExactly(101, 1746, 1861, 102);
  }

  @Test
  void mapsWordsWithoutPiecesToUnknown() {
    assertThat(tokenizer.encode("\uD83D\uDE00")).containsExactly(101, 100, 102);
  }

  @Test
  void dropsControlCharactersAndTreatsAnyWhitespaceAsSeparator() {
    assertThat(tokenizer.encode("hello\u0000\tworld\u00A0\n")).containsExactly(101, 7592, 2088, 102);
  }

  @Test
  void encodesEmptyTextAsClsSep() {
    assertThat(tokenizer.encode("")).containsExactly(101, 102);
  }

  @Test
  void truncatesToTheTokenizersMaximumOf128() {
    int[] ids = tokenizer.encode("hello ".repeat(500));

    assertThat(tokenizer.maxLength()).isEqualTo(128);
    assertThat(ids).hasSize(128);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[126]).isEqualTo(7592);
    assertThat(ids[127]).isEqualTo(102);
  }

  @Test
  void refusesTokenizersThatAreNotWordPiece() {
    assertThatThrownBy(() -> BertTokenizer.fromJson("{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BPE");
  }
}
