package dev.gantry.hub;

import java.util.Locale;
import java.util.Optional;

/** The model hubs Gantry downloads from, with their default endpoint and branch and the variable that overrides the endpoint. */
public enum HubKind {
  HUGGINGFACE("Hugging Face", "https://huggingface.co", "HF_ENDPOINT", "main"),
  MODELSCOPE("ModelScope", "https://modelscope.cn", "MODELSCOPE_ENDPOINT", "master");

  private final String title;
  private final String defaultEndpoint;
  private final String endpointVariable;
  private final String defaultRevision;

  HubKind(String title, String defaultEndpoint, String endpointVariable, String defaultRevision) {
    this.title = title;
    this.defaultEndpoint = defaultEndpoint;
    this.endpointVariable = endpointVariable;
    this.defaultRevision = defaultRevision;
  }

  /** The {@code source} value of a model spec: {@code huggingface} or {@code modelscope}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String title() {
    return title;
  }

  public String defaultRevision() {
    return defaultRevision;
  }

  /** The endpoint when a model names none: the environment variable ({@code HF_ENDPOINT}...), else the public hub. */
  public String endpointFrom(java.util.Map<String, String> environment) {
    String configured = environment.get(endpointVariable);
    String endpoint = configured == null || configured.isBlank() ? defaultEndpoint : configured.trim();
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }

  public static Optional<HubKind> ofSource(String source) {
    for (HubKind kind : values()) {
      if (kind.key().equals(source)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
