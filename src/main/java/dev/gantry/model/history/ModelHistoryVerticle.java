package dev.gantry.model.history;

import dev.gantry.cluster.LiveModels;
import dev.gantry.common.Addresses;
import dev.gantry.node.history.HistoryFile;
import dev.gantry.node.history.HistoryRange;
import dev.gantry.node.history.MetricsHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's history of each deployed model ({@link ModelSampler} every {@link #SAMPLE_MS} ms into a
 * {@link MetricsHistory} keyed by model), answering {@code model.metrics.<node>} for the API node that
 * merges every node's answer, and kept in {@code <data-dir>/model-history} (read at start, written every
 * {@link #SAVE_MS} ms and on stop) so it survives a restart. Reading meters this node already keeps
 * costs no scrape.
 */
public final class ModelHistoryVerticle extends VerticleBase {

  public static final long SAMPLE_MS = 5_000;
  public static final long SAVE_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(ModelHistoryVerticle.class);

  private final String node;
  private final HistoryFile file;
  private final ModelSampler sampler;
  private final LiveModels models;
  private volatile MetricsHistory history = new MetricsHistory();
  private Future<Void> saving = Future.succeededFuture();
  private boolean sampling;

  public ModelHistoryVerticle(String node, Path dataDir, MeterRegistry registry, LiveModels models) {
    this.node = node;
    this.file = new HistoryFile(dataDir.resolve("model-history"));
    this.sampler = new ModelSampler(registry);
    this.models = models;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(file::load)
        .onSuccess(loaded -> history = loaded)
        .compose(loaded -> vertx.eventBus().<JsonObject>consumer(Addresses.modelMetrics(node), this::answer).completion())
        .onSuccess(v -> {
          vertx.setPeriodic(SAMPLE_MS, t -> sample());
          vertx.setPeriodic(SAVE_MS, t -> save());
        });
  }

  @Override
  public Future<?> stop() {
    return saving.otherwiseEmpty().compose(v -> save());
  }

  private void sample() {
    if (sampling) {
      return;
    }
    sampling = true;
    models.all().onSuccess(list -> {
      Set<String> names = list.stream().map(m -> m.getString("name")).collect(Collectors.toSet());
      long now = System.currentTimeMillis();
      history.record(now, sampler.sample(now, names));
    }).onComplete(ar -> sampling = false);
  }

  private void answer(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    HistoryRange range = HistoryRange.of(body.getString("range")).orElse(null);
    String model = body.getString("model");
    if (range == null || model == null) {
      message.fail(400, "a model and a range of " + List.of("1h", "24h", "30d") + " are needed");
      return;
    }
    JsonObject series = new JsonObject();
    history.query(model, range, System.currentTimeMillis()).forEach((metric, points) -> {
      JsonArray out = new JsonArray();
      points.forEach(p -> out.add(new JsonArray().add((long) p[0]).add(p[1])));
      series.put(metric, out);
    });
    message.reply(new JsonObject().put("node", node).put("series", series));
  }

  private Future<Void> save() {
    saving = vertx.<Void>executeBlocking(() -> {
      file.save(history);
      return null;
    }, false).onFailure(err -> LOG.warn("model history not saved [error: {}]", err.toString()));
    return saving.otherwiseEmpty();
  }
}
