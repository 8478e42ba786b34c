package dev.gantry.scheduler;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.common.Ids;
import dev.gantry.common.AutoscaleSpec;
import dev.gantry.common.InstallHints;
import dev.gantry.common.Schedules;
import dev.gantry.scheduler.placement.Claim;
import dev.gantry.scheduler.placement.DeviceView;
import dev.gantry.scheduler.placement.Distributed;
import dev.gantry.scheduler.placement.NodeState;
import dev.gantry.scheduler.placement.NodeView;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementDecision;
import dev.gantry.scheduler.placement.ReplicaRequest;
import dev.gantry.scheduler.placement.Strategy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One level-triggered scheduling round: compares models (desired replicas) with instances and nodes
 * and decides what to create, remove, mark unreachable and place. Pure: no cluster, no clock of its own.
 */
public final class ReplicaPlanner {

  /** Removal order when scaling down: the least useful replicas go first. */
  private static final List<InstanceState> REMOVAL_ORDER = List.of(InstanceState.PENDING, InstanceState.ERROR,
      InstanceState.UNREACHABLE, InstanceState.SCHEDULED, InstanceState.DOWNLOADING, InstanceState.STARTING,
      InstanceState.RUNNING);

  private final Placement placement;
  private final Function<JsonObject, Estimate> estimator;
  private final Duration grace;

  public ReplicaPlanner(Placement placement, Function<JsonObject, Estimate> estimator, Duration grace) {
    this.placement = placement;
    this.estimator = estimator;
    this.grace = grace;
  }

  public ReplicaPlan plan(List<JsonObject> models, List<ModelInstance> instances, List<NodeRecord> nodes, Instant now) {
    ReplicaPlan plan = new ReplicaPlan();
    Map<String, NodeRecord> nodesByName = new HashMap<>();
    nodes.forEach(n -> nodesByName.put(n.name(), n));
    Map<String, JsonObject> modelsByName = new HashMap<>();
    models.forEach(m -> modelsByName.put(m.getString("name"), m));

    List<ModelInstance> alive = new ArrayList<>();
    List<ModelInstance> leaving = new ArrayList<>();
    for (ModelInstance instance : instances) {
      NodeRecord node = nodesByName.get(instance.nodeName());
      if (!modelsByName.containsKey(instance.modelName()) || expired(instance, now) || stoppedUnder(instance, node)) {
        plan.remove(instance.id());
      } else if (leaving(instance, node)) {
        leaving.add(instance);
      } else {
        alive.add(followNode(instance, node, nodesByName, now, plan));
      }
    }
    List<ModelInstance> pending = new ArrayList<>();
    for (JsonObject model : models) {
      scale(model, alive, now, plan, pending);
    }
    List<ModelInstance> holding = new ArrayList<>(alive);
    holding.addAll(leaving);
    place(pending, holding, nodes, modelsByName, plan);
    return plan;
  }

  /**
   * A replica whose node is stopping gracefully, or draining for maintenance, keeps serving while its
   * replacement starts elsewhere: it no longer counts towards the model's replicas (so the replacement is
   * created at once), is never the one removed by a scale-down, and still holds its claim. Its node
   * removes it once the replacement runs and its requests in flight finished.
   */
  private static boolean leaving(ModelInstance instance, NodeRecord node) {
    return instance.state() == InstanceState.DRAINING || node != null && instance.on(node.name())
        && (node.state() == dev.gantry.cluster.NodeState.STOPPING || node.maintenance() && node.drain()
            && node.state() != dev.gantry.cluster.NodeState.UNREACHABLE);
  }

  /**
   * A replica left on a node that said goodbye has no engine any more, nor has a draining one whose node
   * is gone: it goes at once, no grace.
   */
  private static boolean stoppedUnder(ModelInstance instance, NodeRecord node) {
    boolean nodeGone = node == null || node.state() == dev.gantry.cluster.NodeState.UNREACHABLE;
    return instance.nodeName() != null && (node != null && node.state() == dev.gantry.cluster.NodeState.STOPPED
        || nodeGone && instance.state() == InstanceState.DRAINING);
  }

  private boolean expired(ModelInstance instance, Instant now) {
    return instance.state() == InstanceState.UNREACHABLE && instance.unreachableSince() != null
        && instance.unreachableSince().plus(grace).isBefore(now);
  }

  /** An instance on a node that left turns unreachable at once; when its node is back it is started again. */
  private ModelInstance followNode(ModelInstance instance, NodeRecord node, Map<String, NodeRecord> nodesByName,
      Instant now, ReplicaPlan plan) {
    String nodeName = instance.nodeName();
    if (nodeName == null) {
      return instance;
    }
    boolean nodeGone = node == null || node.state() == dev.gantry.cluster.NodeState.UNREACHABLE;
    boolean marked = instance.state() == InstanceState.UNREACHABLE;
    String lostPart = MultiNodeReplicas.lostWorker(instance, nodesByName);
    if (lostPart != null) {
      return plan.change(instance, i -> i.replaced(lostPart));
    }
    if (nodeGone && !marked) {
      String message = "node " + nodeName + " is unreachable; placed elsewhere after " + grace.toSeconds()
          + " s unless it returns";
      return plan.change(instance, i -> i.unreachable(now, message));
    }
    if (!nodeGone && marked) {
      String message = "node " + nodeName + " is back; starting the engine again";
      return plan.change(instance, i -> i.revived(message));
    }
    return instance;
  }

  private void scale(JsonObject model, List<ModelInstance> alive, Instant now, ReplicaPlan plan,
      List<ModelInstance> pending) {
    String name = model.getString("name");
    List<ModelInstance> mine = new ArrayList<>(alive.stream().filter(i -> name.equals(i.modelName())).toList());
    int replicas = AutoscaleSpec.of(model) == null ? Schedules.replicas(model, now) : model.getInteger("replicas", 1);
    mine.sort(Comparator.comparingInt((ModelInstance i) -> REMOVAL_ORDER.indexOf(i.state()))
        .thenComparing(i -> i.createdAt() == null ? Instant.EPOCH : i.createdAt(), Comparator.reverseOrder()));
    while (mine.size() > replicas) {
      ModelInstance extra = mine.remove(0);
      plan.remove(extra.id());
      alive.remove(extra);
    }
    for (int i = mine.size(); i < replicas; i++) {
      ModelInstance created = newInstance(model, now);
      plan.create(created);
      alive.add(created);
    }
    alive.stream().filter(i -> name.equals(i.modelName()) && i.state() == InstanceState.PENDING).forEach(pending::add);
  }

  private static ModelInstance newInstance(JsonObject model, Instant now) {
    String id = Ids.random(16);
    List<String> categories = model.getJsonArray("categories", new JsonArray()).stream().map(String::valueOf).toList();
    return ModelInstance.pending(id, model.getString("name") + "-" + id.substring(0, 5), model.getLong("id"),
        model.getString("name"), model.getString("backend"), categories, now);
  }

  private void place(List<ModelInstance> pending, List<ModelInstance> alive, List<NodeRecord> nodes,
      Map<String, JsonObject> models, ReplicaPlan plan) {
    if (pending.isEmpty()) {
      return;
    }
    List<NodeView> views = nodes.stream().map(ReplicaPlanner::view).toList();
    List<Claim> claims = alive.stream().filter(i -> i.nodeName() != null && i.claim() != null)
        .flatMap(i -> MultiNodeReplicas.claims(i).stream()).toList();
    List<ReplicaRequest> requests = new ArrayList<>();
    Map<String, Estimate> estimates = new HashMap<>();
    for (ModelInstance instance : pending) {
      JsonObject model = models.get(instance.modelName());
      Estimate estimate = estimates.computeIfAbsent(model.getString("name"),
          k -> HostKvCache.added(model, estimator.apply(model)));
      requests.add(request(model, instance.id(), estimate));
    }
    List<PlacementDecision> decisions = placement.placeAll(views, claims, requests);
    for (int i = 0; i < decisions.size(); i++) {
      ModelInstance instance = pending.get(i);
      UnaryOperator<ModelInstance> transition = transition(decisions.get(i), estimates.get(instance.modelName()),
          nodes, models.get(instance.modelName()));
      ModelInstance after = transition.apply(instance);
      if (after.state() != instance.state() || !Objects.equals(after.stateMessage(), instance.stateMessage())) {
        plan.change(instance, transition);
      }
    }
  }

  private static UnaryOperator<ModelInstance> transition(PlacementDecision decision, Estimate estimate,
      List<NodeRecord> nodes, JsonObject model) {
    if (decision instanceof PlacementDecision.Placed placed) {
      Claim claim = placed.claim();
      String address = nodes.stream().filter(n -> claim.node().equals(n.name())).map(NodeRecord::address)
          .findFirst().orElse("127.0.0.1");
      ModelInstance.Claim held = new ModelInstance.Claim(claim.ram(), claim.memoryPerDevice(), claim.cpuCores());
      String message = "placed on " + claim.node() + " (needs " + estimate.breakdown() + ")";
      return i -> i.placed(claim.node(), address, claim.deviceIds(), held, message);
    }
    if (decision instanceof PlacementDecision.PlacedOver over) {
      return MultiNodeReplicas.placedOver(over, estimate, nodes);
    }
    String message = withHint(((PlacementDecision.Pending) decision).message(), model.getString("backend"), nodes);
    return i -> i.waiting(HostKvCache.explained(withVersions(message, model, nodes), estimate));
  }

  /** The backend a node must run: {@code vllm}, or {@code vllm@0.11.2} when the model names a version. */
  static String requiredBackend(JsonObject model) {
    String version = model.getString("backend_version");
    return version == null || version.isBlank() ? model.getString("backend") : model.getString("backend") + "@" + version;
  }

  /** A pending model that names a version says which versions each ready node has. */
  private static String withVersions(String message, JsonObject model, List<NodeRecord> nodes) {
    String backend = model.getString("backend");
    if (!requiredBackend(model).contains("@") || !message.contains("cannot start")) {
      return message;
    }
    List<NodeRecord> ready = nodes.stream().filter(n -> n.state() == dev.gantry.cluster.NodeState.READY).toList();
    String have = ready.stream().map(n -> n.name() + ": " + versions(n, backend))
        .collect(java.util.stream.Collectors.joining("; "));
    String version = model.getString("backend_version");
    boolean somewhere = ready.stream().anyMatch(n -> List.of(versions(n, backend).split(", ")).contains(version));
    return message + " — " + backend + " " + version + (somewhere ? " is on some ready nodes (the others above say why "
        + "they do not fit)" : " is on no ready node") + "; versions by node: " + (have.isEmpty() ? "no ready node" : have);
  }

  private static String versions(NodeRecord node, String backend) {
    List<String> found = node.engines() == null ? List.of() : node.engines().stream().map(o -> (JsonObject) o)
        .filter(e -> backend.equals(e.getString("backend"))).map(e -> e.getString("version")).toList();
    return found.isEmpty() ? "none" : String.join(", ", found);
  }

  /** A pending message whose cause is that no ready node can start the backend's engine says how to fix it. */
  private static String withHint(String message, String backend, List<NodeRecord> nodes) {
    boolean noneCan = nodes.stream().filter(n -> n.state() == dev.gantry.cluster.NodeState.READY)
        .allMatch(n -> n.backends() != null && !n.backends().contains(backend));
    String hint = InstallHints.forBackend(backend);
    return noneCan && !hint.isEmpty() && nodes.stream().anyMatch(n -> n.state() == dev.gantry.cluster.NodeState.READY)
        ? message + " — " + hint : message;
  }

  /** The replica the scheduler would place for {@code model}: also what a worker pool asks whether a new node fits. */
  public static ReplicaRequest requestFor(JsonObject model, String instanceId, Estimate estimate) {
    return request(model, instanceId, estimate);
  }

  private static ReplicaRequest request(JsonObject model, String instanceId, Estimate estimate) {
    int devices = model.getInteger("devices_per_replica", 0);
    TreeMap<String, String> selector = new TreeMap<>();
    model.getJsonObject("node_selector", new JsonObject()).forEach(e -> selector.put(e.getKey(), String.valueOf(e.getValue())));
    List<String> deviceIds = model.getJsonArray("device_ids", new JsonArray()).stream().map(String::valueOf).toList();
    Strategy strategy = "binpack".equals(model.getString("placement_strategy")) ? Strategy.BINPACK : Strategy.SPREAD;
    return new ReplicaRequest(model.getString("name"), instanceId, estimate.memoryPerDevice(), estimate.ram(),
        devices, selector, devices == 0 ? List.of() : deviceIds, strategy, devices == 0, 0, requiredBackend(model),
        model.getString("device_vendor"), Distributed.of(model.getString("distributed")));
  }

  static NodeView view(NodeRecord node) {
    JsonObject cpu = node.hardware().cpu() == null ? new JsonObject() : node.hardware().cpu();
    JsonObject memory = node.hardware().memory() == null ? new JsonObject() : node.hardware().memory();
    JsonArray deviceList = node.hardware().devices() == null ? new JsonArray() : node.hardware().devices();
    List<DeviceView> devices = deviceList.stream().map(o -> (JsonObject) o)
        .map(d -> new DeviceView(d.getString("id"), d.getString("type", "cuda"), d.getString("name"),
            d.getLong("memory_total") == null ? 0 : d.getLong("memory_total")))
        .toList();
    return new NodeView(node.name(), NodeState.of(node.state().json()), node.labels(),
        cpu.getInteger("cores", 1), memory.getLong("total", 0L), devices,
        node.backends() == null ? null : backends(node));
  }

  /** The node's backends by name, and {@code backend@version} for every engine version it found. */
  private static Set<String> backends(NodeRecord node) {
    Set<String> out = new java.util.HashSet<>(node.backends());
    if (node.engines() != null) {
      node.engines().stream().map(o -> (JsonObject) o).forEach(e -> out.add(e.getString("backend") + "@" + e.getString("version")));
    }
    return out;
  }
}
