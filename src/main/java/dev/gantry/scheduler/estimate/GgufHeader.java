package dev.gantry.scheduler.estimate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The header of a GGUF file: its metadata, its tensors and what they weigh, read without loading the
 * tensor data. Metadata values are Java values: every integer type as {@link Long} (a {@code uint64}
 * above {@code Long.MAX_VALUE} wraps negative), floats as {@link Double}, {@link Boolean},
 * {@link String}, and arrays as unmodifiable {@link List}s of those.
 */
public final class GgufHeader {

  private final Path file;
  private final int version;
  private final Map<String, Object> metadata;
  private final List<GgufTensor> tensors;
  private final long alignment;
  private final long dataOffset;

  GgufHeader(Path file, int version, Map<String, Object> metadata, List<GgufTensor> tensors,
      long alignment, long dataOffset) {
    this.file = file;
    this.version = version;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.tensors = List.copyOf(tensors);
    this.alignment = alignment;
    this.dataOffset = dataOffset;
  }

  /**
   * Reads the header of a GGUF v2 or v3 file, streaming, with every length bounded.
   *
   * @throws InvalidGgufException when the file is not a GGUF file or its header is corrupt or cut short
   * @throws IOException          when the file cannot be read
   */
  public static GgufHeader read(Path file) throws IOException {
    return GgufHeaderReader.read(file);
  }

  /** Whether the file starts with the GGUF magic; says nothing about the rest of it. */
  public static boolean hasMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt() == GgufHeaderReader.MAGIC;
    }
  }

  public Path file() {
    return file;
  }

  public int version() {
    return version;
  }

  /** All metadata, in file order. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  public List<GgufTensor> tensors() {
    return tensors;
  }

  /** Alignment of tensor data ({@code general.alignment}, 32 when absent). */
  public long alignment() {
    return alignment;
  }

  /** Where the tensor data section starts in the file. */
  public long dataOffset() {
    return dataOffset;
  }

  public Optional<String> string(String key) {
    return metadata.get(key) instanceof String value ? Optional.of(value) : Optional.empty();
  }

  /** The elements of an array value; empty when the key is absent or holds no array. */
  public List<Object> array(String key) {
    return metadata.get(key) instanceof List<?> list ? List.copyOf(list) : List.of();
  }

  /** An integer value; for a per-layer array of integers, the largest element. */
  public OptionalLong integer(String key) {
    Object value = metadata.get(key);
    if (value instanceof Long number) {
      return OptionalLong.of(number);
    }
    if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(Long.class::isInstance)) {
      return OptionalLong.of(list.stream().mapToLong(Long.class::cast).max().orElseThrow());
    }
    return OptionalLong.empty();
  }

  /** {@code general.architecture}, for example {@code llama} or {@code qwen2}. */
  public Optional<String> architecture() {
    return string("general.architecture");
  }

  /** The context length the model was trained with. */
  public OptionalLong contextLength() {
    return architectureInteger("context_length");
  }

  public OptionalLong embeddingLength() {
    return architectureInteger("embedding_length");
  }

  /** Number of transformer layers. */
  public OptionalLong blockCount() {
    return architectureInteger("block_count");
  }

  public OptionalLong headCount() {
    return architectureInteger("attention.head_count");
  }

  /** Key/value heads (fewer than {@link #headCount()} with grouped-query attention). */
  public OptionalLong headCountKv() {
    OptionalLong kv = architectureInteger("attention.head_count_kv");
    return kv.isPresent() ? kv : headCount();
  }

  /** Size of one key head: {@code attention.key_length}, else embedding length / head count. */
  public OptionalLong keyLength() {
    OptionalLong explicit = architectureInteger("attention.key_length");
    return explicit.isPresent() ? explicit : headDimension();
  }

  /** Size of one value head: {@code attention.value_length}, else embedding length / head count. */
  public OptionalLong valueLength() {
    OptionalLong explicit = architectureInteger("attention.value_length");
    return explicit.isPresent() ? explicit : headDimension();
  }

  /** {@code general.file_type}: the quantisation the file was made with, as llama.cpp numbers it. */
  public OptionalLong fileType() {
    return integer("general.file_type");
  }

  /** The quantisation's usual name ("Q4_K_M"), or empty when the file does not say. */
  public Optional<String> fileTypeName() {
    OptionalLong fileType = fileType();
    return fileType.isPresent() ? Optional.of(GgufFileType.name(fileType.getAsLong())) : Optional.empty();
  }

  /** Bytes of all tensor data, from each tensor's shape and ggml type. */
  public long totalWeightBytes() {
    return tensors.stream().mapToLong(GgufTensor::byteSize).sum();
  }

  /** Bytes of tensor data per ggml type, in type-id order. */
  public Map<GgmlType, Long> weightBytesByType() {
    Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
    tensors.forEach(tensor -> bytes.merge(tensor.type(), tensor.byteSize(), Long::sum));
    return Collections.unmodifiableMap(bytes);
  }

  private OptionalLong headDimension() {
    OptionalLong embedding = embeddingLength();
    OptionalLong heads = headCount();
    return embedding.isPresent() && heads.isPresent() && heads.getAsLong() > 0
        ? OptionalLong.of(embedding.getAsLong() / heads.getAsLong())
        : OptionalLong.empty();
  }

  private OptionalLong architectureInteger(String suffix) {
    return architecture().map(arch -> integer(arch + "." + suffix)).orElse(OptionalLong.empty());
  }

  @Override
  public String toString() {
    return "GgufHeader[%s v%d %s, %d tensors, %d metadata]"
        .formatted(file, version, architecture().orElse("?"), tensors.size(), metadata.size());
  }
}
