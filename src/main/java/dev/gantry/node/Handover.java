package dev.gantry.node;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a node that is leaving (stopping, or draining for maintenance) may let go of its replicas of a
 * model: once the model has its replicas elsewhere — as many running as it wants, or as many placed or
 * pending as it wants with none of them still starting (a replica that cannot be placed, or keeps failing,
 * is not worth waiting for). Pure.
 */
final class Handover {

  private Handover() {
  }

  /** The models among {@code modelNames} whose replicas elsewhere are in place. */
  static Set<String> ready(Set<String> modelNames, String nodeName, List<JsonObject> models,
      List<ModelInstance> instances) {
    Map<String, Integer> wanted = new HashMap<>();
    for (JsonObject model : models) {
      if (modelNames.contains(model.getString("name"))) {
        wanted.put(model.getString("name"), model.getInteger("replicas", 1));
      }
    }
    Map<String, List<ModelInstance>> elsewhere = new HashMap<>();
    for (ModelInstance instance : instances) {
      if (modelNames.contains(instance.modelName()) && !instance.on(nodeName)
          && instance.state() != InstanceState.DRAINING) {
        elsewhere.computeIfAbsent(instance.modelName(), m -> new ArrayList<>()).add(instance);
      }
    }
    Set<String> ready = new java.util.HashSet<>();
    for (String name : modelNames) {
      int want = wanted.getOrDefault(name, 0);
      List<ModelInstance> others = elsewhere.getOrDefault(name, List.of());
      long running = others.stream().filter(i -> i.state() == InstanceState.RUNNING).count();
      boolean starting = others.stream().anyMatch(i -> i.state() == InstanceState.SCHEDULED
          || i.state() == InstanceState.DOWNLOADING || i.state() == InstanceState.STARTING);
      if (running >= want || others.size() >= want && !starting) {
        ready.add(name);
      }
    }
    return ready;
  }
}
