package dev.gantry.scheduler.placement;

import java.util.Locale;

/**
 * Why one node cannot take a replica.
 *
 * @param text what a person reads, starting with the node name, e.g. {@code n1 not ready}
 */
record Rejection(String node, Reason reason, String text) {

    /** The first check a node failed; later stages mean the node came closer to fitting. */
    enum Reason {
        NOT_READY(0, "not ready"),
        UNREACHABLE(0, "unreachable"),
        MAINTENANCE(0, "in maintenance"),
        LABEL(1, "label mismatch"),
        NO_SELECTED_DEVICE(2, "no selected device"),
        NO_ACCELERATOR(2, "no accelerator"),
        TOO_FEW_DEVICES(2, "too few devices"),
        DEVICE_MEMORY(3, "insufficient device memory"),
        RAM(3, "insufficient RAM"),
        CPU(3, "insufficient CPU");

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
                case READY -> throw new IllegalArgumentException("a ready node is not a rejection");
            };
        }
    }

    /** Bytes as a person reads them: {@code 14.2 GiB}, {@code 512 MiB}; negative amounts read as 0. */
    static String bytes(long amount) {
        long value = Math.max(0, amount);
        if (value >= PlacementConfig.GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", value / (double) PlacementConfig.GIB);
        }
        if (value >= 1L << 20) {
            return (value >> 20) + " MiB";
        }
        return value + " bytes";
    }
}
