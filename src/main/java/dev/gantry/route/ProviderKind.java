package dev.gantry.route;

/** The wire protocol of an external provider. */
public enum ProviderKind {
  /** OpenAI's API and everything compatible: OpenAI, DeepSeek, vLLM or llama-server elsewhere, another Gantry. */
  OPENAI,
  /** Anthropic's Messages API ({@code x-api-key}, {@code anthropic-version}); reached through {@code /v1/messages}. */
  ANTHROPIC,
  /** Azure OpenAI: {@code <base>/openai/deployments/<model>/...?api-version=...} with an {@code api-key} header. */
  AZURE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ProviderKind of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
