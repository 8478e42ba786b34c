package dev.gantry.pool;

import dev.gantry.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reconciler's decisions per pool, newest first, the last {@value #KEPT} ({@code gantry.pool-events}), each also logged. */
public final class PoolEvents {

  static final int KEPT = 50;
  private static final Logger LOG = LoggerFactory.getLogger(PoolEvents.class);

  private final SharedMap events;

  public PoolEvents(SharedMap events) {
    this.events = events;
  }

  /** @param action {@code create}, {@code delete}, {@code drain}, {@code error} */
  public Future<Void> record(String pool, String action, String node, String detail) {
    LOG.info("worker pool [pool: {}] [action: {}] [node: {}] [{}]", pool, action, node, detail);
    JsonObject event = new JsonObject().put("at", Instant.now().toString()).put("action", action).put("node", node)
        .put("detail", detail);
    return events.get(pool).compose(raw -> {
      JsonArray list = raw == null ? new JsonArray() : new JsonArray(raw);
      JsonArray next = new JsonArray().add(event);
      for (int i = 0; i < list.size() && next.size() < KEPT; i++) {
        next.add(list.getValue(i));
      }
      return events.set(pool, next.encode());
    });
  }

  public Future<String> forget(String pool) {
    return events.remove(pool);
  }
}
