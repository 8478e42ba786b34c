package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled all-MiniLM-L6-v2 through ONNX Runtime, against known reference values. */
class OnnxEmbeddingModelTest {

  private static OnnxEmbeddingModel model;

  @BeforeAll
  static void loadBundledModel() throws Exception {
    ModelSource source = ModelSource.resolve("builtin:all-minilm-l6-v2");
    model = OnnxEmbeddingModel.load(source.readBundledOnnx(), BertTokenizer.fromJson(source.readTokenizerJson()), 0);
  }

  @AfterAll
  static void closeModel() throws Exception {
    model.close();
  }

  @Test
  void matchesTheReferenceVectorOfTheFoxSentence() {
    float[] vector = embed("The quick brown fox jumps over the lazy dog.");

    assertThat(vector[0]).isCloseTo(0.0439f, within(1e-3f));
    assertThat(vector[1]).isCloseTo(0.0589f, within(1e-3f));
    assertThat(vector[2]).isCloseTo(0.0482f, within(1e-3f));
  }

  @Test
  void returns384DimensionalUnitVectors() {
    float[] vector = embed("A cat sits on the mat.");

    assertThat(model.dimension()).isEqualTo(384);
    assertThat(vector).hasSize(384);
    assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void placesSimilarSentencesCloser() {
    EmbeddingModel.Embeddings result = model.embed(List.of(
        "A cat sits on the mat.", "There is a cat on the mat.", "Stock markets fell sharply today."));
    float[] cat = result.vectors().get(0);

    assertThat(dot(cat, result.vectors().get(1))).isGreaterThan(dot(cat, result.vectors().get(2)) + 0.3);
  }

  @Test
  void givesTheSameVectorAloneAndInAPaddedBatch() {
    float[] alone = embed("hello");
    float[] batched = model.embed(List.of("a much longer sentence that forces padding of the short one", "hello"))
        .vectors().get(1);

    for (int i = 0; i < alone.length; i++) {
      assertThat(batched[i]).isCloseTo(alone[i], within(1e-4f));
    }
  }

  @Test
  void countsTokensIncludingClsAndSep() {
    assertThat(model.embed(List.of("hello world", "hello")).promptTokens()).isEqualTo(4 + 3);
  }

  private static float[] embed(String text) {
    return model.embed(List.of(text)).vectors().get(0);
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }
}
