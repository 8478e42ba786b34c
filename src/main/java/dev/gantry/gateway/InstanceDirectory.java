package dev.gantry.gateway;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LocalMirror;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which models exist and which of their instances are running, from local mirrors of the cluster's
 * model and instance maps. An instance that stops running is out of {@link #running} as soon as its
 * change event arrives (milliseconds), not at the next sweep. The engine keys of this node's instances
 * are derived here, once per change, and kept in memory only.
 */
public final class InstanceDirectory {

  private static final Set<InstanceState> ABOUT_TO_RUN = EnumSet.of(InstanceState.PENDING, InstanceState.SCHEDULED,
      InstanceState.DOWNLOADING, InstanceState.STARTING);

  private final LocalMirror<JsonObject> models;
  private final LocalMirror<ModelInstance> instances;
  private final LiveInstances records;
  private final Membership membership;
  private final String nodeName;
  private final ClusterSecret secret;
  private volatile Map<String, List<Upstream>> running = Map.of();
  private volatile Map<String, Upstream> own = Map.of();
  private volatile Set<String> liveMembers = Set.of();
  private final ColdStarts coldStarts = new ColdStarts();

  public InstanceDirectory(LiveModels models, LiveInstances instances, Membership membership, String nodeName,
      ClusterSecret secret) {
    this.membership = membership;
    this.nodeName = nodeName;
    this.secret = secret;
    this.records = instances;
    this.models = models.mirror(() -> { });
    this.instances = instances.mirror(this::reindex);
  }

  /** Loads both maps and follows their changes. Blocking. */
  void start() {
    membership.onMembersChanged(this::followMembers);
    followMembers();
    models.startBlocking();
    instances.startBlocking();
  }

  /** Re-reads both maps (blocking); repairs a missed event. */
  void resync() {
    models.resyncBlocking();
    instances.resyncBlocking();
  }

  JsonObject model(String name) {
    return models.get(name);
  }

  /** {@link LocalMirror#fill}: a model created on another node a moment ago, before this node's mirror heard of it. */
  Future<JsonObject> fillModel(String name) {
    return models.fill(name);
  }

  Collection<JsonObject> models() {
    return models.values();
  }

  /** Requests held for autoscaled models without a running replica. */
  ColdStarts coldStarts() {
    return coldStarts;
  }

  /** The running instances of a model, to pick from; empty when none. */
  List<Upstream> running(String model) {
    return running.getOrDefault(model, List.of());
  }

  /**
   * A running (or draining: a request another gateway picked just before is still answered) instance of
   * this node, to relay to its engine; null when it is not (or no longer) one.
   */
  Upstream own(String instanceId) {
    return own.get(instanceId);
  }

  /**
   * This node's serving instance as the cluster map holds it now, for a relay that {@link #own} does not
   * know yet: each node's mirror hears a change on its own schedule, so another node's gateway may pick
   * an instance that just became running here before this node's mirror has applied the change. Null
   * when the record is missing, not serving, not on this node, or its member has left.
   */
  Future<Upstream> ownFromCluster(String instanceId) {
    return records.get(instanceId).map(instance -> {
      boolean serving = instance != null
          && (instance.state() == InstanceState.RUNNING || instance.state() == InstanceState.DRAINING);
      boolean live = serving && (instance.memberId() == null || membership.memberIds().contains(instance.memberId()));
      Upstream upstream = live ? Upstream.of(instance, nodeName, secret) : null;
      return upstream != null && upstream.local() ? upstream : null;
    });
  }

  /**
   * Re-reads from the cluster map the model's instances that this node's mirror holds as about to run
   * (pending, scheduled, downloading, starting): each node hears a change on its own schedule, so a
   * replica another node has just seen turn running may still be starting here. Completes once they are
   * read and {@link #running} follows what was read; at once, with false, when there is none to re-read
   * (a model that is down or scaled to zero costs no cluster call).
   */
  Future<Boolean> catchUp(String model) {
    List<Future<ModelInstance>> reads = new ArrayList<>();
    for (ModelInstance instance : instances.values()) {
      if (model.equals(instance.modelName()) && ABOUT_TO_RUN.contains(instance.state())) {
        reads.add(instances.refresh(instance.id()));
      }
    }
    return reads.isEmpty() ? Future.succeededFuture(false) : Future.join(reads).map(true).otherwise(true);
  }

  /** Why a model has no running instance, naming the model and the states (with messages) of its instances. */
  String unavailable(String model) {
    List<ModelInstance> own = instances.values().stream().filter(i -> model.equals(i.modelName())).toList();
    JsonObject record = models.get(model);
    if (own.isEmpty()) {
      Object replicas = record == null ? null : record.getValue("replicas");
      return replicas instanceof Number n && n.intValue() == 0
          ? "model '" + model + "' is scaled to 0 replicas; set replicas to 1 or more to serve it"
          : "model '" + model + "' has no running replica: no instance is placed yet; retry in a moment";
    }
    Map<InstanceState, List<ModelInstance>> byState = own.stream()
        .collect(Collectors.groupingBy(ModelInstance::state, java.util.TreeMap::new, Collectors.toList()));
    List<String> parts = new ArrayList<>();
    byState.forEach((state, list) -> {
      String message = list.stream().map(ModelInstance::stateMessage).filter(m -> m != null && !m.isBlank())
          .findFirst().orElse(null);
      String counted = list.size() == 1 ? state.json() : state.json() + " (" + list.size() + ")";
      parts.add(message == null ? counted : counted + ": " + message);
    });
    return "model '" + model + "' has no running replica: " + String.join("; ", parts);
  }

  /**
   * The instances of a member that left stop being routable the moment Hazelcast reports it, before
   * the scheduler marks them unreachable.
   */
  private void followMembers() {
    liveMembers = Set.copyOf(membership.memberIds());
    reindex();
  }

  private boolean onLiveMember(ModelInstance instance) {
    return instance.memberId() == null || liveMembers.contains(instance.memberId());
  }

  private synchronized void reindex() {
    Map<String, List<Upstream>> index = new HashMap<>();
    Map<String, Upstream> local = new HashMap<>();
    for (ModelInstance instance : instances.values()) {
      boolean serving = instance.state() == InstanceState.RUNNING || instance.state() == InstanceState.DRAINING;
      Upstream upstream = serving && onLiveMember(instance) ? Upstream.of(instance, nodeName, secret) : null;
      if (upstream != null && upstream.modelName() != null && instance.state() == InstanceState.RUNNING) {
        index.computeIfAbsent(upstream.modelName(), m -> new ArrayList<>()).add(upstream);
      }
      if (upstream != null && upstream.local()) {
        local.put(upstream.id(), upstream);
      }
    }
    index.replaceAll((model, list) -> List.copyOf(list));
    running = Map.copyOf(index);
    own = Map.copyOf(local);
    coldStarts.wake(index.keySet());
  }
}
