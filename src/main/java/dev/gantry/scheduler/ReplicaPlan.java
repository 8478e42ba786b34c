package dev.gantry.scheduler;

import dev.gantry.cluster.ModelInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What one scheduling round decided: instances to create, to remove, and transitions of existing ones.
 * A transition is applied to the instance's current record (compare-and-set), so a change its node made
 * meanwhile is kept; {@link #changed()} shows the result as the planner saw it.
 */
public final class ReplicaPlan {

  private final List<ModelInstance> created = new ArrayList<>();
  private final List<String> removed = new ArrayList<>();
  private final Map<String, ModelInstance> changed = new LinkedHashMap<>();
  private final Map<String, UnaryOperator<ModelInstance>> transitions = new LinkedHashMap<>();

  void create(ModelInstance instance) {
    created.add(instance);
  }

  void remove(String id) {
    removed.add(id);
  }

  /** Records a transition of an existing instance (after earlier ones of the same round); answers the result. */
  ModelInstance change(ModelInstance before, UnaryOperator<ModelInstance> transition) {
    ModelInstance after = transition.apply(before);
    changed.put(before.id(), after);
    transitions.merge(before.id(), transition, (first, then) -> i -> then.apply(first.apply(i)));
    return after;
  }

  public List<ModelInstance> created() {
    return created;
  }

  public List<String> removed() {
    return removed;
  }

  /** The changed instances as this round expects them to be, by id. */
  public Map<String, ModelInstance> changed() {
    return changed;
  }

  /** The transitions to apply, by instance id. */
  public Map<String, UnaryOperator<ModelInstance>> transitions() {
    return transitions;
  }

  public boolean isEmpty() {
    return created.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }
}
