package dev.gantry.scheduler;

import dev.gantry.common.Ids;
import dev.gantry.scheduler.placement.Claim;
import dev.gantry.scheduler.placement.DeviceView;
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
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One level-triggered scheduling round: compares models (desired replicas) with instances and nodes
 * and decides what to create, remove, mark unreachable and place. Pure: no cluster, no clock of its own.
 */
public final class ReplicaPlanner {

  /** Removal order when scaling down: the least useful replicas go first. */
  private static final List<String> REMOVAL_ORDER =
      List.of("pending", "error", "unreachable", "scheduled", "starting", "running");

  private final Placement placement;
  private final Function<JsonObject, Estimate> estimator;
  private final Duration grace;

  public ReplicaPlanner(Placement placement, Function<JsonObject, Estimate> estimator, Duration grace) {
    this.placement = placement;
    this.estimator = estimator;
    this.grace = grace;
  }

  public ReplicaPlan plan(List<JsonObject> models, List<JsonObject> instances, List<JsonObject> nodes, Instant now) {
    ReplicaPlan plan = new ReplicaPlan();
    Map<String, JsonObject> nodesByName = new HashMap<>();
    nodes.forEach(n -> nodesByName.put(n.getString("name"), n));
    Map<String, JsonObject> modelsByName = new HashMap<>();
    models.forEach(m -> modelsByName.put(m.getString("name"), m));

    List<JsonObject> alive = new ArrayList<>();
    for (JsonObject instance : instances) {
      if (!modelsByName.containsKey(instance.getString("model_name")) || expired(instance, now)) {
        plan.remove(instance.getString("id"));
      } else {
        followNode(instance, nodesByName.get(instance.getString("node_name")), now, plan);
        alive.add(instance);
      }
    }
    List<JsonObject> pending = new ArrayList<>();
    for (JsonObject model : models) {
      scale(model, alive, now, plan, pending);
    }
    place(pending, alive, nodes, modelsByName, plan);
    return plan;
  }

  private boolean expired(JsonObject instance, Instant now) {
    String since = instance.getString("unreachable_since");
    return "unreachable".equals(instance.getString("state")) && since != null
        && Instant.parse(since).plus(grace).isBefore(now);
  }

  /** An instance on a node that left turns unreachable at once; when its node is back it is started again. */
  private void followNode(JsonObject instance, JsonObject node, Instant now, ReplicaPlan plan) {
    String nodeName = instance.getString("node_name");
    if (nodeName == null) {
      return;
    }
    boolean nodeGone = node == null || "unreachable".equals(node.getString("state"));
    boolean marked = "unreachable".equals(instance.getString("state"));
    if (nodeGone && !marked) {
      JsonObject fields = new JsonObject().put("state", "unreachable").put("unreachable_since", now.toString())
          .put("state_message", "node " + nodeName + " is unreachable; placed elsewhere after " + grace.toSeconds()
              + " s unless it returns");
      plan.change(instance.getString("id"), fields);
      instance.mergeIn(fields);
    } else if (!nodeGone && marked) {
      JsonObject fields = new JsonObject().put("state", "scheduled").putNull("unreachable_since")
          .put("state_message", "node " + nodeName + " is back; starting the engine again");
      plan.change(instance.getString("id"), fields);
      instance.mergeIn(fields);
    }
  }

  private void scale(JsonObject model, List<JsonObject> alive, Instant now, ReplicaPlan plan, List<JsonObject> pending) {
    String name = model.getString("name");
    List<JsonObject> mine = new ArrayList<>(alive.stream().filter(i -> name.equals(i.getString("model_name"))).toList());
    int replicas = model.getInteger("replicas", 1);
    mine.sort(Comparator.comparingInt((JsonObject i) -> REMOVAL_ORDER.indexOf(i.getString("state")))
        .thenComparing(i -> i.getString("created_at", ""), Comparator.reverseOrder()));
    while (mine.size() > replicas) {
      JsonObject extra = mine.remove(0);
      plan.remove(extra.getString("id"));
      alive.remove(extra);
    }
    for (int i = mine.size(); i < replicas; i++) {
      JsonObject created = newInstance(model, now);
      plan.create(created);
      alive.add(created);
    }
    alive.stream().filter(i -> name.equals(i.getString("model_name")) && "pending".equals(i.getString("state")))
        .forEach(pending::add);
  }

  private static JsonObject newInstance(JsonObject model, Instant now) {
    String id = Ids.random(16);
    return new JsonObject().put("id", id).put("name", model.getString("name") + "-" + id.substring(0, 5))
        .put("model_id", model.getLong("id")).put("model_name", model.getString("name"))
        .put("backend", model.getString("backend")).put("categories", model.getJsonArray("categories"))
        .put("state", "pending").put("state_message", "waiting to be placed")
        .put("restart_count", 0).put("device_ids", new JsonArray())
        .put("created_at", now.toString()).put("updated_at", now.toString());
  }

  private void place(List<JsonObject> pending, List<JsonObject> alive, List<JsonObject> nodes,
      Map<String, JsonObject> models, ReplicaPlan plan) {
    if (pending.isEmpty()) {
      return;
    }
    List<NodeView> views = nodes.stream().map(ReplicaPlanner::view).toList();
    List<Claim> claims = alive.stream().filter(i -> i.getString("node_name") != null && i.containsKey("claim"))
        .map(ReplicaPlanner::claim).toList();
    List<ReplicaRequest> requests = new ArrayList<>();
    Map<String, Estimate> estimates = new HashMap<>();
    for (JsonObject instance : pending) {
      JsonObject model = models.get(instance.getString("model_name"));
      Estimate estimate = estimates.computeIfAbsent(model.getString("name"), k -> estimator.apply(model));
      requests.add(request(model, instance.getString("id"), estimate));
    }
    List<PlacementDecision> decisions = placement.placeAll(views, claims, requests);
    for (int i = 0; i < decisions.size(); i++) {
      JsonObject instance = pending.get(i);
      Estimate estimate = estimates.get(instance.getString("model_name"));
      JsonObject fields = fields(decisions.get(i), estimate, nodes);
      if (!fields.getString("state").equals(instance.getString("state"))
          || !fields.getString("state_message").equals(instance.getString("state_message"))) {
        plan.change(instance.getString("id"), fields);
      }
    }
  }

  private static JsonObject fields(PlacementDecision decision, Estimate estimate, List<JsonObject> nodes) {
    if (decision instanceof PlacementDecision.Placed placed) {
      Claim claim = placed.claim();
      String address = nodes.stream().filter(n -> claim.node().equals(n.getString("name")))
          .map(n -> n.getString("address")).findFirst().orElse("127.0.0.1");
      return new JsonObject().put("state", "scheduled").put("node_name", claim.node()).put("address", address)
          .put("device_ids", new JsonArray(claim.deviceIds()))
          .put("claim", new JsonObject().put("ram", claim.ram()).put("memory_per_device", claim.memoryPerDevice())
              .put("cpu_cores", claim.cpuCores()))
          .put("state_message", "placed on " + claim.node() + " (needs " + estimate.breakdown() + ")");
    }
    PlacementDecision.Pending pending = (PlacementDecision.Pending) decision;
    return new JsonObject().put("state", "pending").put("state_message", pending.message());
  }

  private static ReplicaRequest request(JsonObject model, String instanceId, Estimate estimate) {
    int devices = model.getInteger("devices_per_replica", 0);
    TreeMap<String, String> selector = new TreeMap<>();
    model.getJsonObject("node_selector", new JsonObject()).forEach(e -> selector.put(e.getKey(), String.valueOf(e.getValue())));
    List<String> deviceIds = model.getJsonArray("device_ids", new JsonArray()).stream().map(String::valueOf).toList();
    Strategy strategy = "binpack".equals(model.getString("placement_strategy")) ? Strategy.BINPACK : Strategy.SPREAD;
    return new ReplicaRequest(model.getString("name"), instanceId, estimate.memoryPerDevice(), estimate.ram(),
        devices, selector, devices == 0 ? List.of() : deviceIds, strategy, devices == 0, 0);
  }

  static NodeView view(JsonObject node) {
    List<DeviceView> devices = node.getJsonArray("devices", new JsonArray()).stream().map(o -> (JsonObject) o)
        .map(d -> new DeviceView(d.getString("id"), d.getString("type", "cuda"), d.getString("name"),
            d.getLong("memory_total") == null ? 0 : d.getLong("memory_total")))
        .toList();
    JsonObject cpu = node.getJsonObject("cpu", new JsonObject());
    JsonObject memory = node.getJsonObject("memory", new JsonObject());
    Map<String, String> labels = new HashMap<>();
    node.getJsonObject("labels", new JsonObject()).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    return new NodeView(node.getString("name"), NodeState.of(node.getString("state", "not_ready")), labels,
        cpu.getInteger("cores", 1), memory.getLong("total", 0L), devices);
  }

  private static Claim claim(JsonObject instance) {
    JsonObject claim = instance.getJsonObject("claim");
    List<String> devices = instance.getJsonArray("device_ids", new JsonArray()).stream().map(String::valueOf).toList();
    return new Claim(instance.getString("id"), instance.getString("node_name"), devices,
        claim.getLong("memory_per_device", 0L), claim.getLong("ram", 0L), claim.getInteger("cpu_cores", 0));
  }
}
