package dev.gantry.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Once-per-cluster periodic work: every {@code periodMs} the leading node runs a round, never two at once
 * (a round still running when the next tick comes skips that tick); a failed round is reported and the
 * next tick tries again.
 */
public final class LeaderRounds {

  private LeaderRounds() {
  }

  /** Starts the rounds on the caller's context; answers the timer id. */
  public static long every(Vertx vertx, long periodMs, Membership membership, Supplier<Future<?>> round,
      Consumer<Throwable> failed) {
    boolean[] running = {false};
    return vertx.setPeriodic(periodMs, t -> {
      if (running[0] || !membership.leads()) {
        return;
      }
      running[0] = true;
      round.get().onComplete(ar -> {
        running[0] = false;
        if (ar.failed()) {
          failed.accept(ar.cause());
        }
      });
    });
  }
}
