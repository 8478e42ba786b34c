package dev.gantry.hub;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What a model spec asks of a hub: which repository at which revision, which files ({@code file}, a glob;
 * null: the default set), from which endpoint, with which token (opened, never stored or logged).
 */
public record HubRequest(HubKind kind, String endpoint, String repo, String revision, String file, String token) {

  /** The request a normalised spec makes; the endpoint is the spec's {@code hub_endpoint}, else the environment's, else the public hub. */
  public static HubRequest of(JsonObject spec, Map<String, String> environment, String token) {
    HubKind kind = HubKind.ofSource(spec.getString("source")).orElseThrow();
    String endpoint = spec.getString("hub_endpoint");
    endpoint = endpoint == null || endpoint.isBlank() ? kind.endpointFrom(environment)
        : endpoint.replaceAll("/+$", "");
    String revision = spec.getString("revision");
    return new HubRequest(kind, endpoint, spec.getString("repo"),
        revision == null || revision.isBlank() ? kind.defaultRevision() : revision, spec.getString("file"), token);
  }

  /** How messages name the hub: {@code Hugging Face (https://huggingface.co)}. */
  public String hubName() {
    return kind.title() + " (" + endpoint + ")";
  }

  @Override
  public String toString() {
    return "HubRequest[" + kind.key() + " " + repo + "@" + revision + " file=" + file + " endpoint=" + endpoint
        + (token == null ? "" : " token=***") + "]";
  }
}
