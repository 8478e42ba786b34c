package dev.gantry.alerts;

import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import java.util.List;
import java.util.Map;

/**
 * What the evaluator judges, read from the cluster at one moment: node records (with their devices),
 * replicas, the gateways' per-model stats, and the devices each node listed since it started
 * ({@link KnownDevices}, kept by the leader in the cluster map so a new leader still knows them).
 */
public record AlertSnapshot(List<NodeRecord> nodes, List<ModelInstance> instances, Map<String, ModelStats> models,
    Map<String, KnownDevices> knownDevices) {

  public AlertSnapshot {
    nodes = List.copyOf(nodes);
    instances = List.copyOf(instances);
    models = Map.copyOf(models);
    knownDevices = Map.copyOf(knownDevices);
  }
}
