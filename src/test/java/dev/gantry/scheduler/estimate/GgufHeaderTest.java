package dev.gantry.scheduler.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.builtin.demo.TinyGgufWriter;
import dev.gantry.engine.builtin.demo.TinyGgufWriter.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GgufHeaderTest {

  @TempDir
  Path dir;

  private Path write(TinyGgufWriter writer) throws IOException {
    return writer.write(Files.createTempFile(dir, "model", ".gguf"));
  }

  @Test
  void readsEveryMetadataValueType() throws IOException {
    Path file = write(new TinyGgufWriter()
        .value("u8", ValueType.UINT8, 200)
        .value("i8", ValueType.INT8, -5)
        .value("u16", ValueType.UINT16, 65000)
        .value("i16", ValueType.INT16, -30000)
        .value("u32", ValueType.UINT32, 4_000_000_000L)
        .value("i32", ValueType.INT32, -7)
        .value("u64", ValueType.UINT64, 1L << 40)
        .value("i64", ValueType.INT64, -(1L << 40))
        .value("f32", ValueType.FLOAT32, 1.5f)
        .value("f64", ValueType.FLOAT64, 0.1)
        .value("yes", ValueType.BOOL, true)
        .value("no", ValueType.BOOL, false)
        .string("text", "grüße ▁ 🚀")
        .array("strings", ValueType.STRING, List.of("<s>", "▁Hello", ""))
        .array("ints", ValueType.INT32, List.of(1, -2, 3))
        .array("floats", ValueType.FLOAT32, List.of(0.5f, -0.25f))
        .array("bools", ValueType.BOOL, List.of(true, false))
        .array("empty", ValueType.UINT8, List.of()));

    GgufHeader header = GgufHeader.read(file);

    assertThat(header.version()).isEqualTo(3);
    assertThat(header.metadata()).containsExactly(
        Map.entry("u8", 200L), Map.entry("i8", -5L), Map.entry("u16", 65000L), Map.entry("i16", -30000L),
        Map.entry("u32", 4_000_000_000L), Map.entry("i32", -7L), Map.entry("u64", 1L << 40),
        Map.entry("i64", -(1L << 40)), Map.entry("f32", 1.5), Map.entry("f64", 0.1),
        Map.entry("yes", true), Map.entry("no", false), Map.entry("text", "grüße ▁ 🚀"),
        Map.entry("strings", List.of("<s>", "▁Hello", "")), Map.entry("ints", List.of(1L, -2L, 3L)),
        Map.entry("floats", List.of(0.5, -0.25)), Map.entry("bools", List.of(true, false)),
        Map.entry("empty", List.of()));
    assertThat(header.array("strings")).containsExactly("<s>", "▁Hello", "");
    assertThat(header.array("text")).isEmpty();
    assertThat(header.array("absent")).isEmpty();
    assertThat(header.string("u8")).isEmpty();
    assertThat(header.integer("text")).isEmpty();
    assertThat(header.integer("floats")).isEmpty();
    assertThat(header.architecture()).isEmpty();
    assertThat(header.blockCount()).isEmpty();
    assertThat(header.tensors()).isEmpty();
    assertThat(header.totalWeightBytes()).isZero();
  }

  @Test
  void exposesModelGeometryUnderTheArchitecturePrefix() throws IOException {
    Path file = write(new TinyGgufWriter()
        .string("general.architecture", "qwen2")
        .uint32("general.file_type", 15)
        .uint32("qwen2.context_length", 32768)
        .uint32("qwen2.embedding_length", 3584)
        .uint32("qwen2.block_count", 28)
        .uint32("qwen2.attention.head_count", 28)
        .uint32("qwen2.attention.head_count_kv", 4)
        .uint32("llama.block_count", 99));

    GgufHeader header = GgufHeader.read(file);

    assertThat(header.architecture()).contains("qwen2");
    assertThat(header.contextLength()).hasValue(32768);
    assertThat(header.embeddingLength()).hasValue(3584);
    assertThat(header.blockCount()).hasValue(28);
    assertThat(header.headCount()).hasValue(28);
    assertThat(header.headCountKv()).hasValue(4);
    assertThat(header.keyLength()).hasValue(128);
    assertThat(header.valueLength()).hasValue(128);
    assertThat(header.fileType()).hasValue(15);
    assertThat(header.fileTypeName()).contains("Q4_K_M");
  }

  @Test
  void defaultsKvHeadsToHeadsAndHonoursExplicitKeyAndValueLengths() throws IOException {
    Path file = write(new TinyGgufWriter()
        .string("general.architecture", "gemma")
        .uint32("gemma.embedding_length", 3072)
        .uint32("gemma.attention.head_count", 16)
        .uint32("gemma.attention.key_length", 256)
        .uint32("gemma.attention.value_length", 192));

    GgufHeader header = GgufHeader.read(file);

    assertThat(header.headCountKv()).hasValue(16);
    assertThat(header.keyLength()).hasValue(256);
    assertThat(header.valueLength()).hasValue(192);
    assertThat(header.contextLength()).isEmpty();
    assertThat(header.fileTypeName()).isEmpty();
  }

  @Test
  void takesTheLargestOfPerLayerHeadCounts() throws IOException {
    Path file = write(new TinyGgufWriter()
        .string("general.architecture", "openelm")
        .array("openelm.attention.head_count_kv", ValueType.INT32, List.of(3, 5, 4)));

    assertThat(GgufHeader.read(file).headCountKv()).hasValue(5);
  }

  @Test
  void namesUnknownFileTypesByNumber() throws IOException {
    Path file = write(new TinyGgufWriter().uint32("general.file_type", 77));

    assertThat(GgufHeader.read(file).fileTypeName()).contains("file type 77");
  }

  @Test
  void readsTensorInfosAndSumsWeightsPerType() throws IOException {
    Path file = write(new TinyGgufWriter()
        .zeroTensor("token_embd.weight", GgmlType.Q4_K, 512, 100)
        .zeroTensor("blk.0.attn_q.weight", GgmlType.Q6_K, 256, 256)
        .zeroTensor("blk.0.attn_norm.weight", GgmlType.F32, 256)
        .zeroTensor("output.weight", GgmlType.Q4_K, 256, 3));

    GgufHeader header = GgufHeader.read(file);

    assertThat(header.tensors()).extracting(GgufTensor::name).containsExactly(
        "token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_norm.weight", "output.weight");
    GgufTensor embedding = header.tensors().get(0);
    assertThat(embedding.dims()).containsExactly(512L, 100L);
    assertThat(embedding.type()).isEqualTo(GgmlType.Q4_K);
    assertThat(embedding.offset()).isZero();
    assertThat(embedding.byteSize()).isEqualTo(512 * 100 / 256 * 144);
    assertThat(header.tensors()).allSatisfy(tensor -> assertThat(tensor.offset() % 32).isZero());
    assertThat(header.dataOffset() % header.alignment()).isZero();
    assertThat(header.weightBytesByType()).containsExactly(
        Map.entry(GgmlType.F32, 1024L), Map.entry(GgmlType.Q4_K, 28_800L + 432L),
        Map.entry(GgmlType.Q6_K, 53_760L));
    assertThat(header.totalWeightBytes()).isEqualTo(1024 + 28_800 + 432 + 53_760);
  }

  @ParameterizedTest(name = "{0} stores {1} bits per weight")
  @CsvSource({
    "F32, 32", "F16, 16", "BF16, 16", "F64, 64", "I8, 8", "I32, 32",
    "Q4_0, 4.5", "Q4_1, 5", "Q5_0, 5.5", "Q5_1, 6", "Q8_0, 8.5", "Q8_1, 9",
    "Q2_K, 2.625", "Q3_K, 3.4375", "Q4_K, 4.5", "Q5_K, 5.5", "Q6_K, 6.5625", "Q8_K, 9.125",
    "IQ2_XXS, 2.0625", "IQ2_XS, 2.3125", "IQ2_S, 2.5625", "IQ3_XXS, 3.0625", "IQ3_S, 3.4375",
    "IQ1_S, 1.5625", "IQ1_M, 1.75", "IQ4_NL, 4.5", "IQ4_XS, 4.25",
    "TQ1_0, 1.6875", "TQ2_0, 2.0625", "MXFP4, 4.25", "NVFP4, 4.5", "Q1_0, 1.125", "Q2_0, 2.25"
  })
  void sizesEveryGgmlTypeByItsBitsPerWeight(GgmlType type, double bitsPerWeight) throws IOException {
    Path file = write(new TinyGgufWriter().zeroTensor("w", type, 1024, 3));

    GgufHeader header = GgufHeader.read(file);

    assertThat(header.totalWeightBytes()).isEqualTo((long) (1024 * 3 * bitsPerWeight / 8));
    assertThat(GgmlType.byId(type.id())).contains(type);
  }

  @Test
  void knowsNoRemovedOrFutureGgmlTypeIds() {
    assertThat(List.of(-1L, 4L, 5L, 31L, 36L, 43L, 1L << 40))
        .allSatisfy(id -> assertThat(GgmlType.byId(id)).isEmpty());
  }

  @Test
  void tellsGgufFilesByTheirMagic() throws IOException {
    Path gguf = write(new TinyGgufWriter());
    Path text = Files.writeString(dir.resolve("config.json"), "{}");
    Path empty = Files.createFile(dir.resolve("empty"));

    assertThat(GgufHeader.hasMagic(gguf)).isTrue();
    assertThat(GgufHeader.hasMagic(text)).isFalse();
    assertThat(GgufHeader.hasMagic(empty)).isFalse();
  }

  @Test
  void readsVersion2Files() throws IOException {
    Path file = write(new TinyGgufWriter().string("general.architecture", "llama"));
    RawGguf.patchInt(file, 4, 2);

    assertThat(GgufHeader.read(file).version()).isEqualTo(2);
  }

  @Test
  void failsForAMissingFileWithTheUsualException() {
    assertThatThrownBy(() -> GgufHeader.read(dir.resolve("absent.gguf")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
