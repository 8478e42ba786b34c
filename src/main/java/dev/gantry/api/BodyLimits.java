package dev.gantry.api;

import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;

/**
 * How large a request body may be. The management API ({@code /v2}, {@code /auth}) and every caller the node
 * has not authenticated get {@link ApiRouter#BODY_LIMIT}; an inference request whose caller is authenticated
 * (an API key or a session on {@code /v1}, another node on the relay hop) gets {@code inference}: images as
 * base64, audio and image uploads and long prompts are larger than a management call. The caller is
 * authenticated before the body is read ({@link ApiRouter}), so nobody without a key can make a node hold
 * more than the small limit per request.
 *
 * @param inference the larger limit, in bytes
 * @param authenticatedInference whether a request is an inference call from an authenticated caller
 */
public record BodyLimits(long inference, Predicate<RoutingContext> authenticatedInference) {

  /** Where the limit that applies to a request is kept, for the message of a 413. */
  static final String APPLIED = "gantry.body-limit";

  /** Whether the request gets the larger limit; notes the limit that applies. */
  boolean large(RoutingContext ctx) {
    boolean large = inference > ApiRouter.BODY_LIMIT && authenticatedInference.test(ctx);
    ctx.put(APPLIED, large ? inference : ApiRouter.BODY_LIMIT);
    return large;
  }

  /** What a 413 says: the limit that applied and, to a caller held to the small one on {@code /v1}, how to get more. */
  String tooLarge(RoutingContext ctx) {
    Long applied = ctx.get(APPLIED);
    long limit = applied == null ? ApiRouter.BODY_LIMIT : applied;
    String message = "request body is larger than the limit of " + size(limit);
    if (limit < inference && ctx.normalizedPath().startsWith("/v1/")) {
      message += " for callers without a valid API key; with one, inference requests may send up to " + size(inference);
    }
    return message;
  }

  private static String size(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes / 1024 + " KiB";
  }
}
