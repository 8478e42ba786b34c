package dev.gantry.gateway;

import dev.gantry.auth.ClusterCaller;
import dev.gantry.cluster.ClusterSecret;
import io.vertx.core.http.RequestOptions;

/**
 * Authenticates a request one node's gateway relays to an engine of another node: an HMAC, keyed by
 * the cluster secret, over method, path, instance id and a timestamp, sent in two headers. A signature
 * older or newer than {@link #MAX_SKEW_MS} is refused, so a captured request cannot be replayed later.
 * Neither the client's key nor the engine key ever crosses the network. The request also carries the
 * {@link ClusterCaller} header that the {@code CLUSTER} access rule of the relay route checks first.
 */
final class RelaySignature {

  static final String TIMESTAMP = "X-Gantry-Relay-Timestamp";
  static final String SIGNATURE = "X-Gantry-Relay-Signature";
  static final long MAX_SKEW_MS = 30_000;
  private static final String PURPOSE = "engine-relay";

  private final ClusterSecret secret;

  RelaySignature(ClusterSecret secret) {
    this.secret = secret;
  }

  /** Adds the timestamp and signature headers for a request sent at {@code nowMs}. */
  RequestOptions sign(RequestOptions options, String method, String path, String instanceId, long nowMs) {
    String timestamp = String.valueOf(nowMs);
    return options.putHeader(ClusterCaller.HEADER, ClusterCaller.sign(secret, method, path, nowMs / 1000))
        .putHeader(TIMESTAMP, timestamp)
        .putHeader(SIGNATURE, secret.sign(PURPOSE, message(method, path, instanceId, timestamp)));
  }

  /** Why a request is not authentic, or null when it is (signature compared in constant time). */
  String problem(String method, String path, String instanceId, String timestamp, String signature, long nowMs) {
    if (timestamp == null || signature == null) {
      return "a relayed request needs the headers " + TIMESTAMP + " and " + SIGNATURE;
    }
    if (!secret.verify(PURPOSE, message(method, path, instanceId, timestamp), signature)) {
      return "the relay signature is not valid for this cluster";
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "the relay timestamp is not a number";
    }
    if (Math.abs(nowMs - sent) > MAX_SKEW_MS) {
      return "the relay signature has expired (more than " + MAX_SKEW_MS / 1000
          + " s apart; check the nodes' clocks)";
    }
    return null;
  }

  private static String message(String method, String path, String instanceId, String timestamp) {
    return method + "\n" + path + "\n" + instanceId + "\n" + timestamp;
  }
}
