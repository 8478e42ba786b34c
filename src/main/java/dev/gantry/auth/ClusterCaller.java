package dev.gantry.auth;

import dev.gantry.cluster.ClusterSecret;

/**
 * How one node proves to another that an HTTP request comes from inside the cluster: the header
 * {@value #HEADER}{@code : <epoch seconds>.<HMAC(cluster secret, method + " " + uri + " " + seconds)>}.
 * A signature is good for {@link #WINDOW_SECONDS} either side of the receiver's clock and for that one
 * method and URI only, so one seen on the wire cannot be used for anything else.
 */
public final class ClusterCaller {

  public static final String HEADER = "X-Gantry-Cluster-Signature";
  public static final long WINDOW_SECONDS = 60;
  private static final String PURPOSE = "http-cluster-caller";

  /** The header value for a request this node sends to another node. */
  public static String sign(ClusterSecret secret, String method, String uri, long epochSeconds) {
    return epochSeconds + "." + secret.sign(PURPOSE, message(method, uri, epochSeconds));
  }

  /** Whether {@code header} signs this request with this cluster's secret, made within the window around {@code now}. */
  public static boolean verify(ClusterSecret secret, String method, String uri, String header, long now) {
    if (secret == null || header == null) {
      return false;
    }
    int dot = header.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(header.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    return Math.abs(now - seconds) <= WINDOW_SECONDS
        && secret.verify(PURPOSE, message(method, uri, seconds), header.substring(dot + 1));
  }

  private static String message(String method, String uri, long seconds) {
    return method + " " + uri + " " + seconds;
  }

  private ClusterCaller() {
  }
}
