package dev.gantry.api;

/** The gateway's paths, as the API's common handlers tell them apart from the management API's. */
public final class GatewayPaths {

  /** The relay hop to another node's engines: {@code POST /internal/engines/{instance}/v1/...}. */
  public static final String RELAY_PREFIX = "/internal/engines/";

  /**
   * Whether a path answers in OpenAI's shape and takes an engine's forms: under {@code /v1}, or the relay
   * hop, whose answers the calling gateway passes on as an engine's.
   */
  public static boolean openAi(String path) {
    return path.startsWith("/v1/") || path.equals("/v1") || path.startsWith(RELAY_PREFIX);
  }

  private GatewayPaths() {
  }
}
