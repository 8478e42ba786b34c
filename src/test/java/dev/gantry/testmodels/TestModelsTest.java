package dev.gantry.testmodels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.builtin.demo.LlamaShape;
import dev.gantry.engine.builtin.demo.TinyVocab;
import dev.gantry.scheduler.estimate.GgmlType;
import dev.gantry.scheduler.estimate.GgufHeader;
import dev.gantry.scheduler.estimate.GgufTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestModelsTest {

  @TempDir
  Path dir;

  @Test
  void deterministicModelReadsBackWithTheMetadataLlamaCppRequires() throws IOException {
    GgufHeader header = GgufHeader.read(TestModels.deterministic(dir.resolve("det.gguf")));

    assertThat(header.version()).isEqualTo(3);
    assertThat(header.architecture()).contains("llama");
    assertThat(header.contextLength()).hasValue(2048);
    assertThat(header.embeddingLength()).hasValue(64);
    assertThat(header.blockCount()).hasValue(2);
    assertThat(header.headCount()).hasValue(4);
    assertThat(header.headCountKv()).hasValue(4);
    assertThat(header.integer("llama.feed_forward_length")).hasValue(128);
    assertThat(header.metadata().get("llama.attention.layer_norm_rms_epsilon")).isEqualTo((double) 1e-5f);
    assertThat(header.fileTypeName()).contains("F32");
    assertThat(header.string("tokenizer.ggml.model")).contains("llama");
    assertThat(header.string("tokenizer.chat_template")).hasValueSatisfying(
        template -> assertThat(template).contains("<|im_start|>", "add_generation_prompt"));
    assertThat(header.integer("tokenizer.ggml.eos_token_id")).hasValue(TinyVocab.EOS);
    assertThat(header.integer("tokenizer.ggml.eot_token_id")).hasValue(TinyVocab.IM_END);
  }

  @Test
  void vocabularyHoldsSpecialsBytesAndTheReplyPiecesWithTheirTypes() throws IOException {
    GgufHeader header = GgufHeader.read(TestModels.deterministic(dir.resolve("det.gguf")));

    List<Object> tokens = header.array("tokenizer.ggml.tokens");
    List<Object> types = header.array("tokenizer.ggml.token_type");
    assertThat(tokens).hasSize(5 + 256 + 4).startsWith("<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>");
    assertThat(tokens.subList(5, 261)).first().isEqualTo("<0x00>");
    assertThat(tokens.get(5 + 0x0A)).isEqualTo("<0x0A>");
    assertThat(tokens.subList(261, 265)).isEqualTo(TestModels.REPLY_PIECES);
    assertThat(types.subList(0, 5)).containsExactly(2L, 3L, 3L, 3L, 3L);
    assertThat(types.subList(5, 261)).containsOnly(6L);
    assertThat(types.subList(261, 265)).containsOnly(1L);
    assertThat(String.join("", TestModels.REPLY_PIECES).replace('▁', ' ')).isEqualTo(TestModels.REPLY);
  }

  @Test
  void tensorsAreTheLlamaLayoutWithReversedDimsAndAlignedContiguousData() throws IOException {
    Path file = TestModels.deterministic(dir.resolve("det.gguf"));
    GgufHeader header = GgufHeader.read(file);

    assertThat(header.tensors()).hasSize(3 + 2 * 9);
    assertThat(header.tensors()).extracting(GgufTensor::name).contains(
        "token_embd.weight", "blk.1.attn_q.weight", "blk.1.ffn_down.weight", "output_norm.weight", "output.weight");
    assertThat(tensor(header, "token_embd.weight").dims()).containsExactly(64L, 265L);
    assertThat(tensor(header, "blk.0.ffn_gate.weight").dims()).containsExactly(64L, 128L);
    assertThat(tensor(header, "blk.0.ffn_down.weight").dims()).containsExactly(128L, 64L);
    assertThat(tensor(header, "blk.0.attn_norm.weight").dims()).containsExactly(64L);
    assertThat(header.tensors()).extracting(GgufTensor::type).containsOnly(GgmlType.F32);
    long expectedOffset = 0;
    for (GgufTensor tensor : header.tensors()) {
      assertThat(tensor.offset()).isEqualTo(expectedOffset);
      expectedOffset += (tensor.byteSize() + 31) / 32 * 32;
    }
    assertThat(header.dataOffset() % 32).isZero();
    assertThat(Files.size(file)).isEqualTo(header.dataOffset() + expectedOffset);
    assertThat(header.totalWeightBytes()).isEqualTo(4 * TestModels.DETERMINISTIC_SHAPE.parameters(265));
  }

  @Test
  void deterministicOutputMapsEveryTokenToTheNextReplyToken() throws IOException {
    Path file = TestModels.deterministic(dir.resolve("det.gguf"));
    GgufHeader header = GgufHeader.read(file);
    float[] embedding = data(file, header, "token_embd.weight");
    float[] output = data(file, header, "output.weight");

    int first = TinyVocab.FIRST_WORD;
    assertThat(argmax(output, 64, column(embedding, 64, TinyVocab.BOS))).isEqualTo(first);
    assertThat(argmax(output, 64, column(embedding, 64, TinyVocab.FIRST_BYTE + 'H'))).isEqualTo(first);
    assertThat(argmax(output, 64, column(embedding, 64, first))).isEqualTo(first + 1);
    assertThat(argmax(output, 64, column(embedding, 64, first + 3))).isEqualTo(TinyVocab.IM_END);
  }

  @Test
  void randomModelPushesByteAndControlTokensFarDown() throws IOException {
    Path file = TestModels.random(dir.resolve("random.gguf"), 128, 2, 2, 256, 1000);
    GgufHeader header = GgufHeader.read(file);
    float[] output = data(file, header, "output.weight");
    float[] embedding = data(file, header, "token_embd.weight");
    float[] attentionOut = data(file, header, "blk.1.attn_output.weight");

    assertThat(header.embeddingLength()).hasValue(128);
    assertThat(header.totalWeightBytes()).isEqualTo(4 * new LlamaShape(128, 2, 2, 2, 256, 4096).parameters(1261));
    assertThat(IntStream.range(0, 1261).mapToDouble(token -> embedding[token * 128])).containsOnly(1.0);
    assertThat(IntStream.range(0, 128).mapToDouble(col -> attentionOut[col])).containsOnly(0.0);
    assertThat(IntStream.range(0, TinyVocab.FIRST_WORD).mapToDouble(token -> output[token * 128])).containsOnly(-100.0);
    assertThat(IntStream.range(TinyVocab.FIRST_WORD, 1261).mapToDouble(token -> output[token * 128])).containsOnly(0.0);
  }

  @Test
  void randomModelIsTheSameEveryTime() throws IOException {
    Path a = TestModels.random(dir.resolve("a.gguf"), 64, 1);
    Path b = TestModels.random(dir.resolve("b.gguf"), 64, 1);

    assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
  }

  @Test
  void pseudoWordsAreDistinctAsciiPieces() {
    List<String> words = TestModels.pseudoWords(20_000);

    assertThat(new HashSet<>(words)).hasSize(20_000);
    assertThat(words).allSatisfy(word -> assertThat(word).matches("▁[a-z]{6}"));
  }

  @Test
  void mainWritesTheModelsScriptsAskFor() throws IOException {
    Path deterministic = dir.resolve("cli-det.gguf");
    Path random = dir.resolve("cli-random.gguf");

    TestModels.main(new String[] {"deterministic", deterministic.toString()});
    TestModels.main(new String[] {"random", random.toString(), "64", "1", "2", "96", "50"});

    assertThat(Files.mismatch(deterministic, TestModels.deterministic(dir.resolve("api-det.gguf")))).isEqualTo(-1L);
    GgufHeader header = GgufHeader.read(random);
    assertThat(header.blockCount()).hasValue(1);
    assertThat(header.headCount()).hasValue(2);
    assertThat(header.integer("llama.feed_forward_length")).hasValue(96);
    assertThat(header.array("tokenizer.ggml.tokens")).hasSize(261 + 50);
  }

  private static GgufTensor tensor(GgufHeader header, String name) {
    return header.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static float[] data(Path file, GgufHeader header, String name) throws IOException {
    GgufTensor tensor = tensor(header, name);
    ByteBuffer bytes = ByteBuffer.allocate((int) tensor.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file)) {
      channel.read(bytes, header.dataOffset() + tensor.offset());
    }
    float[] values = new float[(int) tensor.elements()];
    bytes.flip().asFloatBuffer().get(values);
    return values;
  }

  /** Row {@code row} of a row-major matrix with {@code cols} columns. */
  private static float[] column(float[] matrix, int cols, int row) {
    float[] values = new float[cols];
    System.arraycopy(matrix, row * cols, values, 0, cols);
    return values;
  }

  private static int argmax(float[] weights, int cols, float[] input) {
    int best = -1;
    double bestLogit = Double.NEGATIVE_INFINITY;
    for (int row = 0; row < weights.length / cols; row++) {
      double logit = 0;
      for (int col = 0; col < cols; col++) {
        logit += weights[row * cols + col] * input[col];
      }
      if (logit > bestLogit) {
        bestLogit = logit;
        best = row;
      }
    }
    return best;
  }
}
