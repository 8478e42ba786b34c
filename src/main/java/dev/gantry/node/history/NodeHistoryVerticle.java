package dev.gantry.node.history;

import dev.gantry.common.Addresses;
import dev.gantry.node.history.MetricsHistory.Key;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's samples ({@link MetricsHistory}), answers {@code node.metrics.<name>} with a range
 * of them for any node's API, and keeps them in {@code <data-dir>/metrics-history}: read at start,
 * written every {@link #SAVE_MS} ms and on stop.
 */
public final class NodeHistoryVerticle extends VerticleBase {

  public static final long SAVE_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(NodeHistoryVerticle.class);

  private final String node;
  private final HistoryFile file;
  private volatile MetricsHistory history = new MetricsHistory();
  private long timer = -1;
  private Future<Void> saving = Future.succeededFuture();

  public NodeHistoryVerticle(String node, Path dataDir) {
    this.node = node;
    this.file = new HistoryFile(dataDir.resolve("metrics-history"));
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(file::load)
        .onSuccess(loaded -> history = loaded)
        .compose(loaded -> vertx.eventBus().<JsonObject>consumer(Addresses.nodeMetrics(node), this::answer).completion())
        .onSuccess(v -> timer = vertx.setPeriodic(SAVE_MS, t -> save()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return saving.otherwiseEmpty().compose(v -> save());
  }

  /** Adds one heartbeat's readings (callable from any thread). */
  public void record(long epochMs, Map<Key, Double> sample) {
    history.record(epochMs, sample);
  }

  private void answer(Message<JsonObject> message) {
    String label = message.body() == null ? null : message.body().getString("range");
    HistoryRange range = HistoryRange.of(label).orElse(null);
    if (range == null) {
      message.fail(400, "unknown range '" + label + "'");
      return;
    }
    message.reply(HistoryJson.of(node, range, history.query(range, System.currentTimeMillis())));
  }

  private Future<Void> save() {
    saving = vertx.<Void>executeBlocking(() -> {
      file.save(history);
      return null;
    }, false).onFailure(err -> LOG.warn("metrics history not saved [error: {}]", err.toString()));
    return saving.otherwiseEmpty();
  }
}
