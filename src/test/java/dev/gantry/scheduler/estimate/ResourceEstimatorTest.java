package dev.gantry.scheduler.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.scheduler.estimate.ResourceEstimate.Source;
import dev.gantry.testmodels.TestModels;
import dev.gantry.engine.builtin.demo.TinyGgufWriter;
import dev.gantry.engine.builtin.demo.TinyGgufWriter.ValueType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceEstimatorTest {

  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @TempDir
  Path dir;

  private final ResourceEstimator estimator = new ResourceEstimator();

  /** Llama 3 8B's attention geometry, with one small tensor standing in for the weights. */
  private Path llama3Shaped() throws IOException {
    return new TinyGgufWriter()
        .string("general.architecture", "llama")
        .uint32("llama.context_length", 8192)
        .uint32("llama.embedding_length", 4096)
        .uint32("llama.block_count", 32)
        .uint32("llama.attention.head_count", 32)
        .uint32("llama.attention.head_count_kv", 8)
        .zeroTensor("token_embd.weight", GgmlType.Q4_K, 4096, 64)
        .write(dir.resolve("llama3.gguf"));
  }

  private Path sparseFile(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  @Test
  void sizesAGgufReplicaAsWeightsPlusKvCachePlusOverhead() throws IOException {
    ResourceEstimate estimate = estimator.estimate(llama3Shaped(), 8192);

    assertThat(estimate.source()).isEqualTo(Source.GGUF);
    assertThat(estimate.weightsBytes()).isEqualTo(4096L * 64 / 256 * 144);
    assertThat(estimate.kvCacheBytes()).isEqualTo(2L * 32 * 8192 * 8 * 128 * 2).isEqualTo(GIB);
    assertThat(estimate.overheadBytes()).isEqualTo(ResourceEstimator.DEFAULT_OVERHEAD_BYTES).isEqualTo(512 * MIB);
    assertThat(estimate.contextLength()).isEqualTo(8192);
    assertThat(estimate.totalBytes()).isEqualTo(147_456 + GIB + 512 * MIB);
  }

  @Test
  void scalesTheKvCacheLinearlyWithContext() throws IOException {
    Path model = llama3Shaped();

    assertThat(estimator.estimate(model, 2048).kvCacheBytes()).isEqualTo(256 * MIB);
    assertThat(estimator.estimate(model, 32768).kvCacheBytes()).isEqualTo(4 * GIB);
    assertThat(estimator.estimate(model, 1).kvCacheBytes()).isEqualTo(128 * 1024);
  }

  @Test
  void agreesWithTheKvCacheLlamaServerAllocates() throws IOException {
    Path model = new TinyGgufWriter()
        .string("general.architecture", "llama")
        .uint32("llama.embedding_length", 512)
        .uint32("llama.block_count", 6)
        .uint32("llama.attention.head_count", 8)
        .write(dir.resolve("random-512x6.gguf"));

    // llama-server -c 8192 on TestModels.random(512, 6, 8, ...): "CPU KV buffer size = 96.00 MiB"
    assertThat(estimator.estimate(model, 8192).kvCacheBytes()).isEqualTo(96 * MIB);
  }

  @Test
  void usesTheTrainedContextWhenNoneIsGiven() throws IOException {
    Path model = TestModels.deterministic(dir.resolve("deterministic.gguf"));

    ResourceEstimate estimate = estimator.estimate(model, 0);

    assertThat(estimate.contextLength()).isEqualTo(2048);
    assertThat(estimate.kvCacheBytes()).isEqualTo(2L * 2 * 2048 * 4 * 16 * 2);
    assertThat(estimate.weightsBytes()).isEqualTo(GgufHeader.read(model).totalWeightBytes());
  }

  @Test
  void sizesKeysAndValuesByTheirOwnLengthsWhenTheHeaderGivesThem() throws IOException {
    Path model = new TinyGgufWriter()
        .string("general.architecture", "gemma")
        .uint32("gemma.embedding_length", 3072)
        .uint32("gemma.block_count", 28)
        .uint32("gemma.attention.head_count", 16)
        .uint32("gemma.attention.head_count_kv", 16)
        .uint32("gemma.attention.key_length", 256)
        .uint32("gemma.attention.value_length", 256)
        .write(dir.resolve("gemma.gguf"));

    assertThat(estimator.estimate(model, 8192).kvCacheBytes()).isEqualTo(2L * 28 * 8192 * 16 * 256 * 2);
  }

  @Test
  void takesTheLargestPerLayerKvHeadCountForEveryLayer() throws IOException {
    Path model = new TinyGgufWriter()
        .string("general.architecture", "openelm")
        .uint32("openelm.embedding_length", 1024)
        .uint32("openelm.block_count", 3)
        .array("openelm.attention.head_count", ValueType.INT32, List.of(8, 16, 16))
        .array("openelm.attention.head_count_kv", ValueType.INT32, List.of(2, 4, 4))
        .uint32("openelm.attention.key_length", 64)
        .uint32("openelm.attention.value_length", 64)
        .write(dir.resolve("openelm.gguf"));

    assertThat(estimator.estimate(model, 100).kvCacheBytes()).isEqualTo(2L * 3 * 100 * 4 * 64 * 2);
  }

  @Test
  void countsNoKvCacheForAFileWithoutAttention() throws IOException {
    Path projector = new TinyGgufWriter()
        .string("general.architecture", "clip")
        .zeroTensor("v.patch_embd.weight", GgmlType.F16, 14, 14, 3, 32)
        .write(dir.resolve("mmproj.gguf"));

    ResourceEstimate estimate = estimator.estimate(projector, 4096);

    assertThat(estimate.kvCacheBytes()).isZero();
    assertThat(estimate.weightsBytes()).isEqualTo(14L * 14 * 3 * 32 * 2);
  }

  @Test
  void takesTheOverheadItIsGiven() throws IOException {
    ResourceEstimate estimate = new ResourceEstimator(0).estimate(llama3Shaped(), 8192);

    assertThat(estimate.overheadBytes()).isZero();
    assertThat(estimate.totalBytes()).isEqualTo(147_456 + GIB);
    assertThatThrownBy(() -> new ResourceEstimator(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizesANonGgufFileAsItsSizePlusTwentyPercent() throws IOException {
    Path safetensors = sparseFile("model.safetensors", 10 * GIB);

    ResourceEstimate estimate = estimator.estimate(safetensors, 8192);

    assertThat(estimate.source()).isEqualTo(Source.FILE_SIZE);
    assertThat(estimate.totalBytes()).isEqualTo(12 * GIB);
    assertThat(estimate.kvCacheBytes()).isZero();
    assertThat(estimate.breakdown()).isEqualTo("file size 10.0 GiB + 20% margin 2.0 GiB = 12.0 GiB (not a GGUF file)");
  }

  @Test
  void sizesAModelDirectoryByAllItsFiles() throws IOException {
    sparseFile("qwen/model-00001-of-00002.safetensors", 3 * GIB);
    sparseFile("qwen/model-00002-of-00002.safetensors", GIB);
    Files.writeString(dir.resolve("qwen/config.json"), "{}");

    ResourceEstimate estimate = estimator.estimate(dir.resolve("qwen"), 0);

    assertThat(estimate.weightsBytes()).isEqualTo(4 * GIB + 2);
    assertThat(estimate.totalBytes()).isEqualTo(Math.round((4 * GIB + 2) * 1.2));
  }

  @Test
  void letsAnOverrideWinWithoutOpeningTheFile() throws IOException {
    ResourceEstimate estimate = estimator.estimate(dir.resolve("not-downloaded-yet.gguf"), 8192,
        OptionalLong.of(12 * GIB));

    assertThat(estimate.source()).isEqualTo(Source.OVERRIDE);
    assertThat(estimate.totalBytes()).isEqualTo(12 * GIB);
    assertThat(estimate.breakdown()).isEqualTo("override 12.0 GiB");
  }

  @Test
  void passesOnWhyACorruptGgufCannotBeEstimated() throws IOException {
    Path model = TestModels.deterministic(dir.resolve("partial.gguf"));
    try (RandomAccessFile raf = new RandomAccessFile(model.toFile(), "rw")) {
      raf.setLength(1000);
    }

    assertThatThrownBy(() -> estimator.estimate(model, 0))
        .isInstanceOf(InvalidGgufException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> estimator.estimate(dir.resolve("absent.gguf"), 0))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void explainsAGgufEstimateInOneUnit() {
    ResourceEstimate estimate = new ResourceEstimate(Source.GGUF, 4_187_593_113L, GIB, 512 * MIB, 8192);

    assertThat(estimate.breakdown())
        .isEqualTo("weights 3.9 GiB + KV cache 1.0 GiB (ctx 8192) + overhead 0.5 GiB = 5.4 GiB");
  }

  @Test
  void explainsATinyEstimateInMebibytes() {
    ResourceEstimate estimate = new ResourceEstimate(Source.GGUF, 464_640, 65_536, 512 * MIB, 256);

    assertThat(estimate.breakdown())
        .isEqualTo("weights 0.4 MiB + KV cache 0.1 MiB (ctx 256) + overhead 512.0 MiB = 512.5 MiB");
  }

  @Test
  void formatsByteCountsInBinaryUnits() {
    assertThat(ResourceEstimate.bytes(0)).isEqualTo("0 B");
    assertThat(ResourceEstimate.bytes(1023)).isEqualTo("1023 B");
    assertThat(ResourceEstimate.bytes(1024)).isEqualTo("1.0 KiB");
    assertThat(ResourceEstimate.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(ResourceEstimate.bytes(14_200 * MIB)).isEqualTo("13.9 GiB");
    assertThat(ResourceEstimate.bytes(3L << 40)).isEqualTo("3.0 TiB");
    assertThat(ResourceEstimate.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  @Test
  void rejectsNegativeFigures() {
    assertThatThrownBy(() -> new ResourceEstimate(Source.GGUF, -1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
