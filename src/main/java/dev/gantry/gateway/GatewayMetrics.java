package dev.gantry.gateway;

/** What the gateway reports about each request it ends; Micrometer in a node, nothing in unit tests. */
public interface GatewayMetrics {

  /**
   * @param model the model name when it exists, otherwise {@code unknown} (never a caller's free text)
   * @param ttftNanos time to the first streamed event, or -1 when the answer was not streamed
   */
  void requestEnded(String model, String operation, int status, long durationNanos, long ttftNanos, Usage usage);

  /**
   * A request to an engine ({@code target} {@code engine}) or to another node's relay route ({@code node})
   * failed before its answer arrived, for the {@link ConnectionFailure} {@code cause}; counted whether or
   * not a second try then succeeded.
   */
  default void upstreamConnectionFailed(String model, String instance, String target, String cause) {
  }

  /** Reports to both, {@code first} first. */
  static GatewayMetrics both(GatewayMetrics first, GatewayMetrics second) {
    return new GatewayMetrics() {
      @Override
      public void requestEnded(String model, String operation, int status, long durationNanos, long ttftNanos, Usage usage) {
        first.requestEnded(model, operation, status, durationNanos, ttftNanos, usage);
        second.requestEnded(model, operation, status, durationNanos, ttftNanos, usage);
      }

      @Override
      public void upstreamConnectionFailed(String model, String instance, String target, String cause) {
        first.upstreamConnectionFailed(model, instance, target, cause);
        second.upstreamConnectionFailed(model, instance, target, cause);
      }
    };
  }

  static GatewayMetrics noop() {
    return (model, operation, status, durationNanos, ttftNanos, usage) -> { };
  }
}
