package dev.gantry.hub;

/**
 * How far a model's download is: bytes on disk of all its files, the total, the rate over the last
 * report interval (bytes/s) and the time left at that rate (null while unknown). What an instance shows
 * while {@code downloading}.
 */
public record DownloadProgress(long bytes, long total, long bytesPerSecond, Long etaSeconds) {

  public int percent() {
    return total <= 0 ? 0 : (int) Math.min(100, bytes * 100 / total);
  }

  /** The line an instance's state message shows: {@code 42% of 1.2 GiB at 35.0 MiB/s, 20 s left}. */
  public String message() {
    return String.format(java.util.Locale.ROOT, "downloading: %d%% of %s at %s/s%s", percent(), size(total),
        size(bytesPerSecond), etaSeconds == null ? "" : ", " + etaSeconds + " s left");
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
