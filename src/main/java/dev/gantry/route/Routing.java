package dev.gantry.route;

import dev.gantry.cluster.LocalMirror;
import dev.gantry.cluster.SecretBox;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's view of routes and providers on one node: local mirrors of the cluster maps (a
 * lookup is a hash read, never a cluster or database call) and, per provider, its credentials opened in
 * memory in a {@link CredentialRing}, rebuilt when the provider's credentials change. The rings'
 * circuits are shared with the other nodes through {@link SharedCircuits}.
 */
public final class Routing {

  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

  private final LocalMirror<Route> routes;
  private final LocalMirror<Provider> providers;
  private final SecretBox box;
  private final LongSupplier clock;
  private final SharedCircuits circuits;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  private record Ring(List<String> sealed, CredentialRing ring) {
  }

  public Routing(LiveRouting live, SecretBox box, LongSupplier clock, SharedCircuits circuits) {
    this.routes = live.routeMirror(() -> { });
    this.providers = live.providerMirror(() -> { });
    this.box = box;
    this.clock = clock;
    this.circuits = circuits;
  }

  /** Follows the maps and reads them (blocking: a worker or the start thread). */
  public void startBlocking() {
    routes.startBlocking();
    providers.startBlocking();
  }

  public void resyncBlocking() {
    routes.resyncBlocking();
    providers.resyncBlocking();
  }

  public Route route(String name) {
    return name == null ? null : routes.get(name);
  }

  /**
   * The route called {@code name}, or the provider of {@code <provider>/<model>}, read from the cluster
   * maps when this node's mirrors have not heard of it yet ({@link LocalMirror#fill}).
   */
  public Future<Void> fill(String name) {
    int slash = name.indexOf('/');
    Future<Provider> provider = slash > 0 ? providers.fill(name.substring(0, slash)) : Future.succeededFuture();
    return Future.join(routes.fill(name), provider).mapEmpty();
  }

  public Collection<Route> routes() {
    return routes.values();
  }

  public Provider provider(String name) {
    return name == null ? null : providers.get(name);
  }

  /** {@code <provider>/<model>} as a target when that provider offers that model; null otherwise. */
  public Target providerModel(String name) {
    int slash = name == null ? -1 : name.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    Provider provider = providers.get(name.substring(0, slash));
    String model = name.substring(slash + 1);
    return provider != null && provider.offers(model) ? new Target(model, provider.name(), 1) : null;
  }

  /** Every provider model as clients call it, {@code <provider>/<model>}. */
  public List<String> providerModelNames() {
    List<String> names = new ArrayList<>();
    for (Provider provider : providers.values()) {
      provider.models().forEach(model -> names.add(provider.name() + "/" + model));
    }
    return names;
  }

  /** The provider's credentials in turn, each behind its circuit; null when the provider is gone. */
  public CredentialRing ring(String providerName) {
    Provider provider = providers.get(providerName);
    if (provider == null) {
      return null;
    }
    return rings.compute(providerName, (name, current) -> current != null
        && current.sealed().equals(provider.sealedCredentials()) ? current : open(provider)).ring();
  }

  private Ring open(Provider provider) {
    List<String> plain = new ArrayList<>();
    for (String sealed : provider.sealedCredentials()) {
      try {
        plain.add(box.open(Provider.sealPurpose(provider.name()), sealed));
      } catch (IllegalArgumentException e) {
        LOG.warn("a credential of provider cannot be opened, it is skipped [provider: {}] [why: {}]",
            provider.name(), e.getMessage());
      }
    }
    if (plain.isEmpty() && provider.sealedCredentials().isEmpty()) {
      plain.add("");
    }
    return new Ring(provider.sealedCredentials(),
        new CredentialRing(plain, provider.failureThreshold(), provider.coolDownMs(), clock,
        circuits.of(provider.name())));
  }
}
