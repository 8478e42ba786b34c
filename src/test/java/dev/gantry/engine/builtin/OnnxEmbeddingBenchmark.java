package dev.gantry.engine.builtin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints milliseconds per sentence for the bundled all-MiniLM-L6-v2, one sentence per call and in
 * batches of 32, as medians of several rounds. Not a test; run it with the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(deps) dev.gantry.engine.builtin.OnnxEmbeddingBenchmark [threads]}.
 */
public final class OnnxEmbeddingBenchmark {

  private static final int ROUNDS = 7;
  private static final int SENTENCES = 64;

  private OnnxEmbeddingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    ModelSource source = ModelSource.resolve("builtin:all-minilm-l6-v2");
    long loadStart = System.nanoTime();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.load(
        source.readBundledOnnx(), BertTokenizer.fromJson(source.readTokenizerJson()), threads)) {
      System.out.printf("load: %.0f ms%n", (System.nanoTime() - loadStart) / 1e6);
      List<String> sentences = sentences();
      measure("one per call", () -> sentences.forEach(s -> model.embed(List.of(s))));
      measure("batches of 32", () -> model.embed(sentences));
    }
  }

  private static void measure(String name, Runnable work) {
    work.run();
    double[] perSentence = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      work.run();
      perSentence[round] = (System.nanoTime() - start) / 1e6 / SENTENCES;
    }
    Arrays.sort(perSentence);
    System.out.printf("%-14s median %.2f ms/sentence (min %.2f, max %.2f)%n",
        name, perSentence[ROUNDS / 2], perSentence[0], perSentence[ROUNDS - 1]);
  }

  private static List<String> sentences() {
    String[] words = "the quick brown fox jumps over a lazy dog while markets fell sharply and cats sit on mats".split(" ");
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < SENTENCES; i++) {
      StringBuilder sentence = new StringBuilder();
      for (int w = 0; w < 8 + i % 12; w++) {
        sentence.append(words[(i * 7 + w * 3) % words.length]).append(' ');
      }
      sentences.add(sentence.toString().strip() + ".");
    }
    return sentences;
  }
}
