package dev.gantry.scheduler.placement;

import java.util.List;

/** The outcome of placing one replica: where it goes, or why it stays pending. */
public sealed interface PlacementDecision {

  String instanceId();

  /** The replica fits; {@code claim} is what to commit for it. */
  record Placed(Claim claim) implements PlacementDecision {
    @Override
    public String instanceId() {
      return claim.instanceId();
    }

    public String node() {
      return claim.node();
    }

    public List<String> deviceIds() {
      return claim.deviceIds();
    }
  }

  /** No single node holds it: one claim per node it runs over, the leader's (rank 0) first ({@link MultiNodePlacement}). */
  record PlacedOver(String instanceId, List<Claim> parts) implements PlacementDecision {
    public PlacedOver {
      parts = List.copyOf(parts);
    }
  }

  /** Nothing fits; {@code message} says node by node why, for the instance's {@code state_message}. */
  record Pending(String instanceId, String message) implements PlacementDecision {
  }
}
