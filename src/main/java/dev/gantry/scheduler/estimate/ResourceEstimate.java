package dev.gantry.scheduler.estimate;

import java.util.Locale;

/**
 * What one replica of a model needs in memory (device memory, or RAM for a CPU engine), and why.
 *
 * @param source        how the figure was obtained
 * @param weightsBytes  model weights (for {@link Source#FILE_SIZE} the file size; for an override the override)
 * @param kvCacheBytes  KV cache for {@code contextLength} tokens
 * @param overheadBytes compute buffers and margin on top
 * @param contextLength context length the KV cache is sized for (0 when there is no KV cache in the figure)
 */
public record ResourceEstimate(Source source, long weightsBytes, long kvCacheBytes, long overheadBytes,
    long contextLength) {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  /** How an estimate was made. */
  public enum Source {
    /** From the GGUF header: weights by tensor type, layers and context for the KV cache. */
    GGUF,
    /** Not a GGUF file: its size with a margin. */
    FILE_SIZE,
    /** Given explicitly for the model; nothing was read. */
    OVERRIDE
  }

  public ResourceEstimate {
    if (weightsBytes < 0 || kvCacheBytes < 0 || overheadBytes < 0 || contextLength < 0) {
      throw new IllegalArgumentException("negative resource estimate");
    }
  }

  static ResourceEstimate override(long bytes) {
    return new ResourceEstimate(Source.OVERRIDE, bytes, 0, 0, 0);
  }

  public long totalBytes() {
    return weightsBytes + kvCacheBytes + overheadBytes;
  }

  /**
   * For people, every figure in the unit of the total:
   * {@code "weights 3.9 GiB + KV cache 1.0 GiB (ctx 8192) + overhead 0.5 GiB = 5.4 GiB"},
   * {@code "file size 4.0 GiB + 20% margin 0.8 GiB = 4.8 GiB (not a GGUF file)"} or
   * {@code "override 12.0 GiB"}.
   */
  public String breakdown() {
    int unit = unitOf(totalBytes());
    return switch (source) {
      case GGUF -> "weights %s + KV cache %s (ctx %d) + overhead %s = %s".formatted(format(weightsBytes, unit),
          format(kvCacheBytes, unit), contextLength, format(overheadBytes, unit), format(totalBytes(), unit));
      case FILE_SIZE -> "file size %s + 20%% margin %s = %s (not a GGUF file)"
          .formatted(format(weightsBytes, unit), format(overheadBytes, unit), format(totalBytes(), unit));
      case OVERRIDE -> "override " + format(totalBytes(), unit);
    };
  }

  /** A byte count in the largest binary unit that keeps it at least 1, one decimal: "3.9 GiB". */
  public static String bytes(long bytes) {
    return format(bytes, unitOf(bytes));
  }

  private static int unitOf(long bytes) {
    return bytes < 1024 ? 0 : (63 - Long.numberOfLeadingZeros(bytes)) / 10;
  }

  private static String format(long bytes, int unit) {
    return unit == 0
        ? bytes + " B"
        : String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit), UNITS[unit]);
  }
}
