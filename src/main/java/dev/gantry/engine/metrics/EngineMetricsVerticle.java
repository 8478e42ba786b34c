package dev.gantry.engine.metrics;

import dev.gantry.cluster.SharedMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #SCRAPE_MS} reads the {@code /metrics} of this node's running engines, translates them into
 * Gantry's names ({@link EngineMetricNames}), re-exports them on the node's Prometheus registry
 * ({@link EngineMetricsExport}) and publishes the latest load of each instance to the cluster map
 * {@code gantry.engine-load} (instance id → {@code {node, model, instance, backend, at, requests_running,
 * requests_waiting, kv_cache_usage_ratio, ...}}, expiring after {@link #LOAD_TTL}) for the gateway and the
 * autoscaler. An engine that does not answer keeps its last values until its entry expires.
 */
public final class EngineMetricsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EngineMetricsVerticle.class);
  public static final long SCRAPE_MS = 2_000;
  static final Duration LOAD_TTL = Duration.ofSeconds(30);
  static final long SCRAPE_TIMEOUT_MS = 3_000;

  private final EngineMetricsExport export;
  private final SharedMap engineLoad;
  private final String nodeName;
  private final Supplier<Future<List<ScrapeTarget>>> targets;
  private HttpClient http;
  private boolean scraping;

  public EngineMetricsVerticle(MeterRegistry registry, SharedMap engineLoad, String nodeName,
      Supplier<Future<List<ScrapeTarget>>> targets) {
    this.export = new EngineMetricsExport(registry);
    this.engineLoad = engineLoad;
    this.nodeName = nodeName;
    this.targets = targets;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setIdleTimeout(5));
    vertx.setPeriodic(SCRAPE_MS, t -> scrapeAll());
    return Future.succeededFuture();
  }

  private void scrapeAll() {
    if (scraping) {
      return;
    }
    scraping = true;
    targets.get().compose(list -> {
      Set<String> ids = list.stream().map(ScrapeTarget::instanceId).collect(Collectors.toSet());
      export.retain(ids).forEach(engineLoad::remove);
      return Future.join(list.stream().map(this::scrape).toList());
    }).onComplete(ar -> scraping = false);
  }

  private Future<Void> scrape(ScrapeTarget target) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(target.port())
        .setURI(target.path()).setTimeout(SCRAPE_TIMEOUT_MS);
    return http.request(options)
        .compose(req -> req.putHeader("Authorization", "Bearer " + target.engineKey()).send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.failedFuture("HTTP " + response.statusCode()))
        .compose(body -> {
          EngineReading reading = EngineReading.of(PrometheusText.parse(body.toString()),
              EngineMetricNames.of(target.backend(), target.version()));
          export.update(target, reading);
          JsonObject load = reading.toJson().put("node", nodeName).put("model", target.model())
              .put("instance", target.instanceName()).put("backend", target.backend())
              .put("at", System.currentTimeMillis());
          return engineLoad.set(target.instanceId(), load.encode(), LOAD_TTL);
        })
        .recover(e -> {
          LOG.debug("engine metrics not read [instance: {}] [reason: {}]", target.instanceName(), e.getMessage());
          return Future.succeededFuture();
        });
  }
}
