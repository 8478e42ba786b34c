package dev.gantry.alerts;

import dev.gantry.cluster.SecretBox;
import dev.gantry.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert transitions to webhook receivers through an outbox in the cluster map
 * ({@code gantry.alert-outbox}): the leader adds one entry per transition and enabled receiver, keyed by
 * alert, status, time of the transition and receiver, then posts what is due and removes an entry once the
 * receiver answered 2xx. A failed post is tried again after {@link #backoffMs} (2 s doubling up to 5 min),
 * at most {@link #MAX_ATTEMPTS} times. A new leader finds the outbox where the last one left it, so each
 * transition reaches each receiver once, or twice when a leader died between the post and the removal.
 */
final class WebhookDeliveries {

  static final int MAX_ATTEMPTS = 8;
  static final int TIMEOUT_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

  private final Vertx vertx;
  private final SharedMap outbox;
  private final ClusterAlerts state;
  private final SecretBox box;
  private final AlertMetrics metrics;
  private final WebClient client;
  private final Set<String> inFlight = new HashSet<>();

  WebhookDeliveries(Vertx vertx, ClusterAlerts state, SecretBox box, AlertMetrics metrics) {
    this.vertx = vertx;
    this.outbox = state.outbox();
    this.state = state;
    this.box = box;
    this.metrics = metrics;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS).setFollowRedirects(false)
        .setUserAgent("gantry-alerts"));
  }

  static long backoffMs(int attempts) {
    return Math.min(300_000L, 2_000L << Math.min(attempts - 1, 20));
  }

  /** Adds an outbox entry per transition for every enabled receiver. */
  Future<Void> enqueue(List<AlertEvaluator.Transition> transitions, List<AlertReceiver> receivers, Instant now) {
    List<Future<Void>> writes = new ArrayList<>();
    for (AlertEvaluator.Transition transition : transitions) {
      Alert alert = transition.alert();
      Instant at = alert.state() == Alert.State.RESOLVED ? alert.resolvedAt() : alert.firingAt();
      for (AlertReceiver receiver : receivers) {
        if (receiver.enabled()) {
          String key = alert.id() + "|" + alert.state().json() + "|" + at.toEpochMilli() + "|" + receiver.id();
          writes.add(outbox.set(key, new JsonObject().put("receiver_id", receiver.id()).put("alert", alert.toJson())
              .put("attempts", 0).put("next_at", now.toEpochMilli()).encode()));
        }
      }
    }
    return Future.all(writes).mapEmpty();
  }

  /** Posts every due entry not already on its way. */
  Future<Void> deliverDue(Instant now) {
    return Future.all(outbox.entries(), state.receivers()).compose(read -> {
      Map<String, String> entries = read.resultAt(0);
      List<AlertReceiver> receivers = read.resultAt(1);
      entries.forEach((key, raw) -> {
        JsonObject entry = new JsonObject(raw);
        if (entry.getLong("next_at", 0L) > now.toEpochMilli() || !inFlight.add(key)) {
          return;
        }
        AlertReceiver receiver = receivers.stream().filter(r -> r.id().equals(entry.getString("receiver_id")))
            .findFirst().orElse(null);
        Future<Void> done = receiver == null ? outbox.remove(key).mapEmpty() : post(key, entry, receiver);
        done.onComplete(ar -> inFlight.remove(key));
      });
      return Future.succeededFuture();
    });
  }

  private Future<Void> post(String key, JsonObject entry, AlertReceiver receiver) {
    Alert alert = Alert.fromJson(entry.getJsonObject("alert"));
    String url;
    try {
      url = box.open(AlertReceiver.PURPOSE, receiver.urlSealed());
    } catch (IllegalArgumentException e) {
      LOG.warn("alert receiver's url does not open [receiver: {}] [reason: {}]", receiver.name(), e.getMessage());
      return failed(key, entry, receiver, e.getMessage());
    }
    return client.postAbs(url).timeout(TIMEOUT_MS).sendJsonObject(WebhookPayloads.of(receiver.format(), alert))
        .compose(response -> {
          if (response.statusCode() / 100 == 2) {
            metrics.delivery(receiver.name(), "delivered");
            LOG.info("alert delivered [receiver: {}] [alert: {}] [status: {}]", receiver.name(), alert.id(),
                alert.state().json());
            return outbox.remove(key).mapEmpty();
          }
          return failed(key, entry, receiver, "HTTP " + response.statusCode());
        }, err -> failed(key, entry, receiver, String.valueOf(err.getMessage())));
  }

  private Future<Void> failed(String key, JsonObject entry, AlertReceiver receiver, String reason) {
    int attempts = entry.getInteger("attempts", 0) + 1;
    if (attempts >= MAX_ATTEMPTS) {
      metrics.delivery(receiver.name(), "dropped");
      LOG.warn("alert delivery given up [receiver: {}] [key: {}] [attempts: {}] [reason: {}]", receiver.name(), key,
          attempts, reason);
      return outbox.remove(key).mapEmpty();
    }
    metrics.delivery(receiver.name(), "failed");
    LOG.warn("alert delivery failed, retrying [receiver: {}] [attempt: {}] [reason: {}]", receiver.name(), attempts, reason);
    return outbox.set(key, entry.copy().put("attempts", attempts).put("last_error", reason)
        .put("next_at", System.currentTimeMillis() + backoffMs(attempts)).encode());
  }

  void close() {
    client.close();
  }
}
