package dev.gantry.scheduler;

import dev.gantry.model.BuiltinModel;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import dev.gantry.scheduler.estimate.ResourceEstimate;
import dev.gantry.scheduler.estimate.ResourceEstimator;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Estimates what a replica needs from the model spec: an explicit {@code estimate_override_bytes} wins;
 * a bundled model is small and known (a child JVM and at most about 90 MB of weights); a GGUF file is
 * read for weights and KV cache at the spec's {@code context_length} (0: the model's own), any other
 * file counts its size with a margin.
 * Blocking (reads file metadata): call from a worker.
 */
public class ModelEstimator {

  static final long BUNDLED_BYTES = 256L << 20;
  static final long ENGINE_OVERHEAD = 256L << 20;

  private final ResourceEstimator files = new ResourceEstimator();

  public Estimate estimate(JsonObject model) {
    boolean onDevices = model.getInteger("devices_per_replica", 0) > 0;
    Long override = model.getLong("estimate_override_bytes");
    if (override != null) {
      return of(onDevices, override, "override " + gib(override));
    }
    if ("builtin".equals(model.getString("source"))) {
      String title = BuiltinModel.byId(model.getString("builtin_model")).map(BuiltinModel::title)
          .orElse(model.getString("builtin_model"));
      return of(onDevices, BUNDLED_BYTES, "bundled " + title + " " + gib(BUNDLED_BYTES));
    }
    JsonObject resolved = model.getJsonObject("resolved");
    if (resolved != null) {
      return fromHub(onDevices, resolved);
    }
    if (model.getString("local_path") == null) {
      return of(onDevices, ENGINE_OVERHEAD, "no model files known yet; engine " + gib(ENGINE_OVERHEAD));
    }
    Path file = Path.of(model.getString("local_path"));
    try {
      ResourceEstimate estimate = files.estimate(file, model.getLong("context_length", 0L));
      return of(onDevices, estimate.totalBytes(), estimate.breakdown());
    } catch (IOException e) {
      return of(onDevices, ENGINE_OVERHEAD, "file not readable on the scheduling node (" + e.getMessage()
          + "); engine " + gib(ENGINE_OVERHEAD));
    }
  }

  /**
   * A hub model: the estimate worked out from its safetensors headers and config.json when it was saved
   * ({@code resolved.estimate}), else its files' size plus the engine's share.
   */
  private static Estimate fromHub(boolean onDevices, JsonObject resolved) {
    JsonObject worked = resolved.getJsonObject("estimate");
    if (worked != null && worked.getLong("total_bytes") != null) {
      return of(onDevices, worked.getLong("total_bytes"), worked.getString("breakdown", "from the hub's headers"));
    }
    long files = resolved.getLong("total_bytes", 0L);
    return of(onDevices, files + ENGINE_OVERHEAD, "hub files " + gib(files) + " + engine " + gib(ENGINE_OVERHEAD));
  }

  private static Estimate of(boolean onDevices, long bytes, String breakdown) {
    return onDevices ? new Estimate(ENGINE_OVERHEAD, bytes, breakdown) : new Estimate(bytes, 0, breakdown);
  }

  public static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
