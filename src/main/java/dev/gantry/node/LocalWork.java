package dev.gantry.node;

import io.vertx.core.Future;

/** What a node leaving on purpose needs from its own engines and gateway (adapted in {@code GantryNode}). */
public interface LocalWork {

  /** From now on no engine is started or restarted here. */
  void quiesce();

  /** Stops every engine of this node; answers how many. */
  Future<Integer> stopEngines();

  /** Requests in flight on this node to one instance: its gateway's and those relayed to its engine. */
  int inFlightTo(String instanceId);

  /** Requests in flight on this node, to any instance. */
  int inFlight();
}
