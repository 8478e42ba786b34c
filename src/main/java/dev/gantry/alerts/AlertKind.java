package dev.gantry.alerts;

import java.util.Locale;

/**
 * What an alert rule watches; spelled in lowercase in JSON ({@code "replica_error"}). Each kind says
 * whether it needs a threshold and which selectors ({@code model}, {@code node}) make sense for it.
 */
public enum AlertKind {
  /** A node's cluster member left without a goodbye (state {@code unreachable}). */
  NODE_UNREACHABLE(false, false, true),
  /** A replica whose engine exited or could not start (state {@code error}, and its restarts until it runs). */
  REPLICA_ERROR(false, true, true),
  /** A device hotter than {@code threshold} °C. */
  DEVICE_TEMPERATURE(true, false, true),
  /** A device a reachable node listed before and no longer lists. */
  DEVICE_VANISHED(false, false, true),
  /** The share of a model's gateway requests answered 5xx over the last 5 minutes, above {@code threshold} (0–1). */
  MODEL_ERROR_RATE(true, true, false),
  /** The 95th percentile of a model's time to first token over the last 5 minutes, above {@code threshold} seconds. */
  MODEL_TTFT_P95(true, true, false),
  /** A device whose tool reports uncorrected ECC errors (more than 0 since its driver loaded). */
  DEVICE_ECC_ERRORS(false, false, true),
  /** A device whose tool reports a health problem ({@code Warning}, {@code Alarm}...; see {@code Device.healthy()}). */
  DEVICE_UNHEALTHY(false, false, true);

  private final boolean needsThreshold;
  private final boolean modelSelector;
  private final boolean nodeSelector;

  AlertKind(boolean needsThreshold, boolean modelSelector, boolean nodeSelector) {
    this.needsThreshold = needsThreshold;
    this.modelSelector = modelSelector;
    this.nodeSelector = nodeSelector;
  }

  public boolean needsThreshold() {
    return needsThreshold;
  }

  public boolean takesModel() {
    return modelSelector;
  }

  public boolean takesNode() {
    return nodeSelector;
  }

  /** Whether the kind reads the gateway's request counts (and so {@code min_requests}). */
  public boolean perModel() {
    return this == MODEL_ERROR_RATE || this == MODEL_TTFT_P95;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a JSON value names, or null. */
  public static AlertKind fromJson(String value) {
    if (value == null) {
      return null;
    }
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
