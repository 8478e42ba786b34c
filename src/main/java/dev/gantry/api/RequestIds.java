package dev.gantry.api;

import dev.gantry.common.Ids;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it sends one, so a request keeps
 * its id across nodes), echoes it in the response and writes one access-log line when it ends.
 */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  public static final String KEY = "requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("gantry.access");

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && incoming.matches("[A-Za-z0-9._:-]{1,64}") ? incoming : Ids.random(20);
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    long start = System.nanoTime();
    ctx.addEndHandler(v -> ACCESS.info("{} {} {} [request-id: {}] [ms: {}]", ctx.request().method(),
        ctx.request().path(), ctx.response().getStatusCode(), id, (System.nanoTime() - start) / 1_000_000));
    ctx.next();
  }
}
