package dev.gantry.scheduler.placement;

/**
 * The first check a node failed for a replica. A later {@link #stage} means the node came closer to
 * fitting: state, then labels, then devices, then capacity.
 */
enum Reason {
  NOT_READY(0, "not ready"),
  UNREACHABLE(0, "unreachable"),
  MAINTENANCE(0, "in maintenance"),
  STOPPING(0, "shutting down"),
  STOPPED(0, "stopped"),
  LABEL(1, "label mismatch"),
  NO_BACKEND(1, "no engine for the backend"),
  NO_SELECTED_DEVICE(2, "no selected device"),
  NO_ACCELERATOR(2, "no accelerator"),
  NO_PINNED_VENDOR(2, "no device of the model's vendor"),
  NO_SUPPORTED_DEVICE(2, "no device the backend runs on"),
  TOO_FEW_DEVICES(2, "too few devices"),
  DEVICE_MEMORY(3, "insufficient device memory"),
  RAM(3, "insufficient RAM"),
  CPU(3, "insufficient CPU");

  static final int LAST_STAGE = 3;

  final int stage;
  final String category;

  Reason(int stage, String category) {
    this.stage = stage;
    this.category = category;
  }

  static Reason of(NodeState state) {
    return switch (state) {
      case NOT_READY -> NOT_READY;
      case UNREACHABLE -> UNREACHABLE;
      case MAINTENANCE -> MAINTENANCE;
      case STOPPING -> STOPPING;
      case STOPPED -> STOPPED;
      case READY -> throw new IllegalArgumentException("a ready node is not a rejection");
    };
  }
}
