package dev.gantry.gateway;

/**
 * The inference operations the gateway proxies: the name metering records, the engine path it calls,
 * and for the pass-through operations the model category that declares an engine serves them.
 */
public enum Operation {
  CHAT("chat.completions", "/v1/chat/completions", null),
  COMPLETIONS("completions", "/v1/completions", null),
  EMBEDDINGS("embeddings", "/v1/embeddings", null),
  RERANK("rerank", "/v1/rerank", "reranker"),
  TRANSCRIPTIONS("audio.transcriptions", "/v1/audio/transcriptions", "speech_to_text"),
  TRANSLATIONS("audio.translations", "/v1/audio/translations", "speech_to_text"),
  SPEECH("audio.speech", "/v1/audio/speech", "text_to_speech"),
  IMAGE_GENERATIONS("images.generations", "/v1/images/generations", "image"),
  IMAGE_EDITS("images.edits", "/v1/images/edits", "image");

  private final String meterName;
  private final String path;
  private final String category;

  Operation(String meterName, String path, String category) {
    this.meterName = meterName;
    this.path = path;
    this.category = category;
  }

  /** The name in usage records and metrics, e.g. {@code chat.completions}. */
  public String meterName() {
    return meterName;
  }

  /** The path on the gateway and on the engine, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** The model category a model must declare to be sent this operation, or null for chat, completions and embeddings. */
  public String category() {
    return category;
  }

  /** Whether the client sends a multipart form (a file) rather than JSON. */
  public boolean multipart() {
    return this == TRANSCRIPTIONS || this == TRANSLATIONS || this == IMAGE_EDITS;
  }

  public boolean streams() {
    return this == CHAT || this == COMPLETIONS;
  }
}
