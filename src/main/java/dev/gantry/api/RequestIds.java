package dev.gantry.api;

import dev.gantry.common.Ids;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it sends one, so a request keeps
 * its id across nodes), echoes it in the response and writes one access-log line when it ends.
 */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  /** {@link #HEADER} as Netty's ASCII string, for headers written on every request. */
  public static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  public static final String KEY = "requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("gantry.access");
  private static final Pattern CALLERS_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && CALLERS_ID.matcher(incoming).matches() ? incoming : Ids.requestId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER_NAME, id);
    if (!ACCESS.isInfoEnabled()) {
      ctx.next();
      return;
    }
    long start = System.nanoTime();
    ctx.addEndHandler(v -> ACCESS.info("{} {} {} [request-id: {}] [ms: {}]", ctx.request().method(),
        ctx.request().path(), ctx.response().getStatusCode(), id, (System.nanoTime() - start) / 1_000_000));
    ctx.next();
  }
}
