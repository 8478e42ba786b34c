package dev.gantry.route;

import dev.gantry.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider credential circuits shared by the cluster. When a node opens a credential's circuit it
 * publishes {@code {provider, index, fingerprint, open_until}} on the event bus, and when its probe
 * closes one, {@code closed_at}; every other node adopts that into its own {@link CredentialRing}, so
 * a credential one node found failing is skipped by all until the same instant. Nothing here is on the
 * request path: a request reads only its node's rings; a publish happens only on a transition.
 *
 * <p>Half-open probing is per node: when the opening ends, each node that gets a request for that
 * provider lets one probe through, so the cluster sends at most one probe per node per cool-down; the
 * first probe that succeeds closes the circuit on every node, and one that fails opens it again
 * everywhere. A node that joins later, or a ring rebuilt because the credentials changed, starts closed.
 */
public final class SharedCircuits {

  private static final Logger LOG = LoggerFactory.getLogger(SharedCircuits.class);

  private final Vertx vertx;
  private final String sender = UUID.randomUUID().toString();

  public SharedCircuits(Vertx vertx) {
    this.vertx = vertx;
  }

  /** What a ring of {@code provider} reports of its own transitions, published to the other nodes. */
  CredentialRing.Transitions of(String provider) {
    return new CredentialRing.Transitions() {
      @Override
      public void opened(int index, String fingerprint, long until) {
        LOG.info("provider credential circuit opened, told to the cluster [provider: {}] [credential: {}]",
            provider, index + 1);
        publish(news(provider, index, fingerprint).put("open_until", until));
      }

      @Override
      public void closed(int index, String fingerprint, long at) {
        LOG.info("provider credential circuit closed, told to the cluster [provider: {}] [credential: {}]",
            provider, index + 1);
        publish(news(provider, index, fingerprint).put("closed_at", at));
      }
    };
  }

  /** Adopts what other nodes publish into {@code routing}'s rings from now on. */
  public Future<Void> follow(Routing routing) {
    return vertx.eventBus().<JsonObject>consumer(Addresses.providerCircuits(), message -> {
      JsonObject news = message.body();
      if (!sender.equals(news.getString("sender"))) {
        adopt(routing, news);
      }
    }).completion();
  }

  static void adopt(Routing routing, JsonObject news) {
    CredentialRing ring = routing.ring(news.getString("provider"));
    if (ring == null) {
      return;
    }
    int index = news.getInteger("index", -1);
    String fingerprint = news.getString("fingerprint", "");
    if (news.containsKey("open_until")) {
      ring.adoptOpen(index, fingerprint, news.getLong("open_until"));
    } else if (news.containsKey("closed_at")) {
      ring.adoptClosed(index, fingerprint, news.getLong("closed_at"));
    }
  }

  private JsonObject news(String provider, int index, String fingerprint) {
    return new JsonObject().put("provider", provider).put("index", index).put("fingerprint", fingerprint)
        .put("sender", sender);
  }

  private void publish(JsonObject news) {
    vertx.eventBus().publish(Addresses.providerCircuits(), news);
  }
}
