package dev.gantry.gateway;

import dev.gantry.route.CredentialRing;
import dev.gantry.route.Provider;
import dev.gantry.route.ProviderKind;
import dev.gantry.route.Target;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One attempt at an external provider's model with one of its credentials: where to send it in the
 * provider's own wire format, and the result fed back to that credential's circuit. OpenAI-compatible
 * providers get {@code <base_url>/chat/completions} (the base URL ends in {@code /v1}, as OpenAI's SDKs
 * take it) with {@code Authorization: Bearer}; Azure OpenAI {@code <base_url>/openai/deployments/<model>/
 * chat/completions?api-version=...} with {@code api-key}; Anthropic {@code <base_url>/v1/messages} with
 * {@code x-api-key} and {@code anthropic-version}. The provider's timeout cuts a request that gets no
 * byte for that long (head or stream), which counts as a failure of the credential.
 */
record ProviderCall(Provider provider, Target target, CredentialRing ring, int credential) {

  static final String ANTHROPIC_VERSION = "2023-06-01";

  /** The next usable credential of the target's provider, or null when the provider is gone or every circuit is open. */
  static ProviderCall next(Provider provider, Target target, CredentialRing ring) {
    if (provider == null || ring == null) {
      return null;
    }
    int index = ring.acquire();
    return index < 0 ? null : new ProviderCall(provider, target, ring, index);
  }

  boolean anthropic() {
    return provider.kind() == ProviderKind.ANTHROPIC;
  }

  RequestOptions options(Operation operation, boolean messages) {
    String key = ring.credential(credential);
    String relative = operation.path().substring("/v1".length());
    RequestOptions options = new RequestOptions().setIdleTimeout(provider.timeoutMs())
        .setConnectTimeout(Math.min(provider.timeoutMs(), EngineClient.CONNECT_TIMEOUT_MS));
    provider.headers().forEach(options::putHeader);
    switch (provider.kind()) {
      case OPENAI -> {
        options.setAbsoluteURI(provider.baseUrl() + relative);
        if (!key.isEmpty()) {
          options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
      }
      case AZURE -> options.setAbsoluteURI(provider.baseUrl() + "/openai/deployments/"
              + URLEncoder.encode(target.model(), StandardCharsets.UTF_8) + relative + "?api-version="
              + URLEncoder.encode(provider.apiVersion(), StandardCharsets.UTF_8))
          .putHeader("api-key", key);
      case ANTHROPIC -> options.setAbsoluteURI(provider.baseUrl() + (messages ? "/v1/messages" : relative))
          .putHeader("x-api-key", key).putHeader("anthropic-version", ANTHROPIC_VERSION);
      default -> throw new IllegalStateException("unknown provider kind " + provider.kind());
    }
    return options;
  }

  /** The credential's position and circuit for messages: "2 of 3", never the credential. */
  String fingerprintHint() {
    return (credential + 1) + " of " + ring.size();
  }

  void succeeded() {
    ring.succeeded(credential);
  }

  void failed() {
    ring.failed(credential);
  }
}
