package dev.gantry.engine.builtin.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece-style ({@code tokenizer.ggml.model = llama}) vocabulary: five specials, the 256
 * byte tokens {@code <0x00>..<0xFF>} that any text falls back to, then word pieces.
 */
public final class TinyVocab {

  public static final int UNK = 0;
  public static final int BOS = 1;
  public static final int EOS = 2;
  public static final int IM_START = 3;
  /** ChatML's end of turn, the model's end-of-generation token. */
  public static final int IM_END = 4;
  public static final int FIRST_BYTE = 5;
  public static final int FIRST_WORD = FIRST_BYTE + 256;

  /** llama.cpp token types. */
  static final int NORMAL = 1;
  static final int UNKNOWN = 2;
  static final int CONTROL = 3;
  static final int BYTE = 6;

  private final List<String> tokens = new ArrayList<>();
  private final List<Float> scores = new ArrayList<>();
  private final List<Integer> types = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();

  private TinyVocab() {
  }

  /** Specials, bytes, then {@code words} in order (a word piece starts with ▁ where a space precedes it). */
  public static TinyVocab withWords(List<String> words) {
    TinyVocab vocab = new TinyVocab();
    vocab.add("<unk>", UNKNOWN, 0);
    for (String special : List.of("<s>", "</s>", "<|im_start|>", "<|im_end|>")) {
      vocab.add(special, CONTROL, 0);
    }
    for (int b = 0; b < 256; b++) {
      vocab.add("<0x%02X>".formatted(b), BYTE, 0);
    }
    for (String word : words) {
      vocab.add(word, NORMAL, -vocab.size());
    }
    return vocab;
  }

  private void add(String token, int type, float score) {
    if (ids.putIfAbsent(token, tokens.size()) != null) {
      throw new IllegalArgumentException("duplicate token " + token);
    }
    tokens.add(token);
    types.add(type);
    scores.add(score);
  }

  public int size() {
    return tokens.size();
  }

  public int id(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException("no token " + token);
    }
    return id;
  }

  /** Whether the token is ordinary text (not a byte, control or unknown token). */
  public boolean isNormal(int id) {
    return types.get(id) == NORMAL;
  }

  List<String> tokens() {
    return List.copyOf(tokens);
  }

  List<Float> scores() {
    return List.copyOf(scores);
  }

  List<Integer> types() {
    return List.copyOf(types);
  }
}
