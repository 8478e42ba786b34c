package dev.gantry.api;

import io.vertx.ext.web.RoutingContext;

/**
 * The long-lived responses (watch streams, log follows) of the caller of one request: how many one caller
 * may hold open, and the signal that ends them when the caller's access ends (logout, deactivation,
 * demotion, password change, key revocation) on whichever node that happened. The authenticator puts one
 * on every authenticated request.
 */
public interface CallerStreams {

  String CONTEXT_KEY = "gantry.caller-streams";

  /** What a stream is, for its per-caller cap. */
  enum Kind { WATCH, LOG_FOLLOW }

  /** An open stream; {@link #closed()} once its response has ended, whatever the reason. */
  interface Stream {
    void closed();
  }

  /**
   * Counts a new stream of this caller; {@code end} runs (on a Hazelcast thread: hop to the response's
   * context) when the caller's access ends. Throws a 429 {@code ApiException} when the caller already has
   * as many streams of this kind as allowed.
   */
  Stream open(Kind kind, Runnable end);

  /** The caller's streams, or a stand-in that neither counts nor ends anything for a request without one. */
  static CallerStreams of(RoutingContext ctx) {
    CallerStreams streams = ctx.get(CONTEXT_KEY);
    return streams != null ? streams : (kind, end) -> () -> { };
  }
}
