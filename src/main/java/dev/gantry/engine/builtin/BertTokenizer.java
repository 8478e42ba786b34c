package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WordPiece tokenizer of BERT-family models, read from a Hugging Face {@code tokenizer.json}:
 * BERT normalisation (clean text, spaced CJK characters, accents stripped, lowercase), split on
 * whitespace and punctuation, greedy longest-match word pieces with the {@code ##} prefix, then
 * {@code [CLS] ... [SEP]} truncated to the tokenizer's maximum length.
 */
final class BertTokenizer {

  private final Map<String, Integer> vocab;
  private final String continuingPrefix;
  private final int unknownId;
  private final int clsId;
  private final int sepId;
  private final int maxInputCharsPerWord;
  private final int maxLength;
  private final boolean lowercase;
  private final boolean stripAccents;

  private BertTokenizer(JsonObject tokenizer) {
    JsonObject model = tokenizer.getJsonObject("model");
    JsonObject normalizer = tokenizer.getJsonObject("normalizer", new JsonObject());
    JsonObject truncation = tokenizer.getJsonObject("truncation", new JsonObject());
    vocab = new HashMap<>();
    model.getJsonObject("vocab").forEach(e -> vocab.put(e.getKey(), ((Number) e.getValue()).intValue()));
    continuingPrefix = model.getString("continuing_subword_prefix", "##");
    maxInputCharsPerWord = model.getInteger("max_input_chars_per_word", 100);
    unknownId = requireToken(model.getString("unk_token", "[UNK]"));
    clsId = requireToken("[CLS]");
    sepId = requireToken("[SEP]");
    maxLength = truncation.getInteger("max_length", 512);
    lowercase = normalizer.getBoolean("lowercase", true);
    Boolean accents = normalizer.getBoolean("strip_accents");
    stripAccents = accents == null ? lowercase : accents;
  }

  /**
   * Reads a Hugging Face tokenizer.json.
   *
   * @throws IllegalArgumentException when the tokenizer is not a WordPiece tokenizer
   */
  static BertTokenizer fromJson(String tokenizerJson) {
    JsonObject tokenizer = new JsonObject(tokenizerJson);
    JsonObject model = tokenizer.getJsonObject("model");
    String type = model == null ? null : model.getString("type");
    if (!"WordPiece".equals(type)) {
      throw new IllegalArgumentException("tokenizer model is " + type + ", only WordPiece (BERT) is supported");
    }
    return new BertTokenizer(tokenizer);
  }

  /** Token ids of one text: {@code [CLS]}, its word pieces, {@code [SEP]}; at most {@link #maxLength()}. */
  int[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    ids.add(clsId);
    for (String word : preTokenize(normalize(text))) {
      if (ids.size() >= maxLength - 1) {
        break; // everything further is truncated anyway
      }
      wordPieces(word, ids);
    }
    int kept = Math.min(ids.size(), maxLength - 1);
    int[] result = new int[kept + 1];
    for (int i = 0; i < kept; i++) {
      result[i] = ids.get(i);
    }
    result[kept] = sepId;
    return result;
  }

  int maxLength() {
    return maxLength;
  }

  private int requireToken(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("tokenizer vocabulary has no " + token + " token");
    }
    return id;
  }

  private String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> {
      if (c == 0 || c == 0xFFFD || isControl(c)) {
        return;
      }
      if (isWhitespace(c)) {
        out.append(' ');
      } else if (isChinese(c)) {
        out.append(' ').appendCodePoint(c).append(' ');
      } else {
        out.appendCodePoint(c);
      }
    });
    String normalized = out.toString();
    if (stripAccents) {
      normalized = Normalizer.normalize(normalized, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
    }
    return lowercase ? normalized.toLowerCase(Locale.ROOT) : normalized;
  }

  private static List<String> preTokenize(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (isWhitespace(c) || isPunctuation(c)) {
        if (word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
        }
        if (!isWhitespace(c)) {
          words.add(new String(Character.toChars(c)));
        }
      } else {
        word.appendCodePoint(c);
      }
    });
    if (word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }

  private void wordPieces(String word, List<Integer> ids) {
    int[] chars = word.codePoints().toArray();
    if (chars.length > maxInputCharsPerWord) {
      ids.add(unknownId);
      return;
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < chars.length) {
      Integer match = null;
      int end = chars.length;
      for (; end > start; end--) {
        String piece = new String(chars, start, end - start);
        match = vocab.get(start > 0 ? continuingPrefix + piece : piece);
        if (match != null) {
          break;
        }
      }
      if (match == null) {
        ids.add(unknownId);
        return;
      }
      pieces.add(match);
      start = end;
    }
    ids.addAll(pieces);
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.getType(c) == Character.SPACE_SEPARATOR;
  }

  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE || type == Character.SURROGATE;
  }

  private static boolean isPunctuation(int c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  private static boolean isChinese(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
