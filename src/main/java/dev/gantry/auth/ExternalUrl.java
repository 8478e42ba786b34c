package dev.gantry.auth;

import dev.gantry.common.ApiException;
import io.vertx.core.MultiMap;
import java.util.regex.Pattern;

/**
 * Where browsers reach this node: {@code --external-url} when set, else the scheme, host and port of
 * the request ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} from a
 * reverse proxy first, then {@code Host}). The identity provider only accepts callback URLs registered
 * with it, so a forged {@code Host} cannot send a sign-in anywhere else.
 */
final class ExternalUrl {

  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

  /** {@code https://gantry.example.com} or {@code http://127.0.0.1:8080}, never with a trailing slash. */
  static String of(String configured, boolean tls, MultiMap headers) {
    if (configured != null) {
      return configured;
    }
    String proto = first(headers.get("X-Forwarded-Proto"));
    String scheme = proto != null ? ("https".equalsIgnoreCase(proto) ? "https" : "http") : (tls ? "https" : "http");
    String host = first(headers.get("X-Forwarded-Host"));
    if (host == null) {
      host = first(headers.get("Host"));
    }
    if (host == null || !HOST.matcher(host).matches()) {
      throw ApiException.badRequest("cannot tell this node's public address from the request's Host header ('" + host
          + "'); start the node with --external-url");
    }
    String port = first(headers.get("X-Forwarded-Port"));
    boolean hasPort = host.matches(".*:\\d+");
    if (port != null && port.matches("\\d{1,5}") && !hasPort && !port.equals("https".equals(scheme) ? "443" : "80")) {
      host = host + ":" + port;
    }
    return scheme + "://" + host;
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    String value = header.split(",", 2)[0].strip();
    return value.isEmpty() ? null : value;
  }

  private ExternalUrl() {
  }
}
