package dev.gantry.gateway;

/** The inference operations the gateway proxies: the name metering records and the engine path it calls. */
public enum Operation {
  CHAT("chat.completions", "/v1/chat/completions"),
  COMPLETIONS("completions", "/v1/completions"),
  EMBEDDINGS("embeddings", "/v1/embeddings");

  private final String meterName;
  private final String path;

  Operation(String meterName, String path) {
    this.meterName = meterName;
    this.path = path;
  }

  /** The name in usage records and metrics, e.g. {@code chat.completions}. */
  public String meterName() {
    return meterName;
  }

  /** The path on the gateway and on the engine, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  public boolean streams() {
    return this != EMBEDDINGS;
  }
}
