package dev.gantry.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where models and catalog files come from, beyond the model's own settings.
 *
 * @param hfEndpoint the Hugging Face endpoint for models that name none ({@code --hf-endpoint}); null: the
 *     {@code HF_ENDPOINT} environment variable, else https://huggingface.co
 * @param modelscopeEndpoint the same for ModelScope ({@code --modelscope-endpoint}, {@code MODELSCOPE_ENDPOINT})
 * @param catalogUrls catalog files fetched over http(s) at start and every {@code catalogRefresh}
 */
public record SourcesConfig(String hfEndpoint, String modelscopeEndpoint, List<URI> catalogUrls, Duration catalogRefresh) {

  public static final SourcesConfig DEFAULTS = new SourcesConfig(null, null, List.of(), Duration.ofMinutes(10));

  /**
   * The environment hub sources read their default endpoints from: this process's, with the node's flags
   * in place of {@code HF_ENDPOINT} and {@code MODELSCOPE_ENDPOINT} where given (a flag wins).
   */
  public Map<String, String> hubEnvironment(Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>(environment);
    if (hfEndpoint != null) {
      merged.put("HF_ENDPOINT", hfEndpoint);
    }
    if (modelscopeEndpoint != null) {
      merged.put("MODELSCOPE_ENDPOINT", modelscopeEndpoint);
    }
    return Map.copyOf(merged);
  }

  /** An http(s) URL without a trailing slash, or null for blank; refused naming the flag otherwise. */
  static String endpoint(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip().replaceAll("/+$", "");
    if (!trimmed.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
      throw new IllegalArgumentException(flag + " expects an http(s) URL such as https://hf-mirror.com, got '" + value + "'");
    }
    return trimmed;
  }
}
