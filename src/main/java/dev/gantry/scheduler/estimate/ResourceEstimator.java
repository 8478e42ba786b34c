package dev.gantry.scheduler.estimate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Estimates what one replica of a model needs before the scheduler places it (DESIGN.md §5).
 *
 * <ul>
 *   <li>An explicit override wins; the file is not even opened.</li>
 *   <li>A GGUF file: its weights (tensor shapes × ggml type sizes) + an f16 KV cache of
 *       {@code 2 × layers × context × kv heads × head size × 2 bytes} + {@link #DEFAULT_OVERHEAD_BYTES}.</li>
 *   <li>Anything else (safetensors, ONNX, a model directory): its size × {@link #NON_GGUF_FACTOR}.</li>
 * </ul>
 */
public final class ResourceEstimator {

  /**
   * Compute buffers, the engine's own runtime and some margin, per replica: 512 MiB. llama.cpp's
   * compute buffers for 1-13B models at common batch sizes take 100-500 MiB; a CUDA context takes
   * about 300 MiB more, so a tight GPU should be given an explicit override.
   */
  public static final long DEFAULT_OVERHEAD_BYTES = 512L << 20;

  /** KV cache element size: llama.cpp's default cache type is f16. */
  public static final int KV_BYTES_PER_ELEMENT = 2;

  /** Size factor for files whose layout Gantry does not read: their size plus 20 %. */
  public static final double NON_GGUF_FACTOR = 1.2;

  private final long overheadBytes;

  public ResourceEstimator() {
    this(DEFAULT_OVERHEAD_BYTES);
  }

  public ResourceEstimator(long overheadBytes) {
    if (overheadBytes < 0) {
      throw new IllegalArgumentException("overhead must not be negative: " + overheadBytes);
    }
    this.overheadBytes = overheadBytes;
  }

  /**
   * Estimates a replica of the model at {@code model}.
   *
   * @param contextLength KV cache size in tokens; 0 or less for the model's trained context length
   * @param overrideBytes an explicit figure that wins over everything else
   * @throws InvalidGgufException when the file has the GGUF magic but a corrupt header
   * @throws IOException          when the file cannot be read
   */
  public ResourceEstimate estimate(Path model, long contextLength, OptionalLong overrideBytes) throws IOException {
    if (overrideBytes.isPresent()) {
      return ResourceEstimate.override(overrideBytes.getAsLong());
    }
    if (Files.isRegularFile(model) && GgufHeader.hasMagic(model)) {
      return estimate(GgufHeader.read(model), contextLength);
    }
    long size = sizeOf(model);
    long margin = Math.round(size * (NON_GGUF_FACTOR - 1));
    return new ResourceEstimate(ResourceEstimate.Source.FILE_SIZE, size, 0, margin, 0);
  }

  /** {@link #estimate(Path, long, OptionalLong)} without an override. */
  public ResourceEstimate estimate(Path model, long contextLength) throws IOException {
    return estimate(model, contextLength, OptionalLong.empty());
  }

  /** Estimates from a header already read; {@code contextLength} 0 or less means the trained one. */
  public ResourceEstimate estimate(GgufHeader header, long contextLength) {
    long context = contextLength > 0 ? contextLength : header.contextLength().orElse(0);
    return new ResourceEstimate(ResourceEstimate.Source.GGUF, header.totalWeightBytes(),
        kvCacheBytes(header, context), overheadBytes, context);
  }

  /**
   * An f16 KV cache for {@code context} tokens: keys and values for every layer and KV head, 0 when
   * the header has no attention geometry (a vision projector, say). With per-layer head counts the
   * largest one is taken for every layer, an upper bound.
   */
  public static long kvCacheBytes(GgufHeader header, long context) {
    long layers = header.blockCount().orElse(0);
    long kvHeads = header.headCountKv().orElse(0);
    long keyAndValue = header.keyLength().orElse(0) + header.valueLength().orElse(0);
    long perToken = Math.multiplyExact(Math.multiplyExact(layers, kvHeads), keyAndValue);
    return Math.multiplyExact(Math.multiplyExact(perToken, context), (long) KV_BYTES_PER_ELEMENT);
  }

  private static long sizeOf(Path model) throws IOException {
    if (!Files.isDirectory(model)) {
      return Files.size(model);
    }
    try (Stream<Path> files = Files.walk(model)) {
      return files.filter(Files::isRegularFile).mapToLong(ResourceEstimator::sizeOfFile).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static long sizeOfFile(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
