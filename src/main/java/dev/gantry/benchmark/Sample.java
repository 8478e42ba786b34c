package dev.gantry.benchmark;

/**
 * One request of a run: when it started (ms after the run began), its status, time to first token and to
 * the last byte, output tokens (the answer's usage, else the streamed chunks with text), the mean gap
 * between streamed tokens after the first, and an error for a failed one.
 */
record Sample(double startMs, int status, double ttftMs, double latencyMs, int outputTokens, double meanGapMs,
    String error) {

  boolean ok() {
    return error == null && status == 200;
  }

  /** Time per output token after the first: (last byte - first token) / (tokens - 1); NaN with fewer than 2. */
  double tpotMs() {
    return outputTokens < 2 || Double.isNaN(ttftMs) ? Double.NaN : (latencyMs - ttftMs) / (outputTokens - 1);
  }
}
