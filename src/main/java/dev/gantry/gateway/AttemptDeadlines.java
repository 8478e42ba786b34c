package dev.gantry.gateway;

import dev.gantry.route.FallbackOn;
import io.vertx.core.Vertx;

/**
 * A route's deadlines for one attempt at a target that still has a fallback after it: no answer head within {@code first_byte_timeout_ms}, or no first
 * event (a whole answer, when not streaming) within {@code ttft_deadline_ms}. When one passes and the
 * condition still holds, {@code cut} is told which; both timers go when the attempt ends.
 */
final class AttemptDeadlines {

  /** Told which deadline passed. */
  interface Cut {
    void passed(String what);
  }

  private final Vertx vertx;
  private long firstByteTimer = -1;
  private long ttftTimer = -1;
  private boolean headArrived;

  AttemptDeadlines(Vertx vertx, FallbackOn on, java.util.function.BooleanSupplier clientGotAByte, Cut cut) {
    this.vertx = vertx;
    if (on.firstByteTimeoutMs() > 0) {
      firstByteTimer = vertx.setTimer(on.firstByteTimeoutMs(), t -> {
        firstByteTimer = -1;
        if (!headArrived) {
          cut.passed("sent no answer head within " + on.firstByteTimeoutMs() + " ms (the route's first_byte_timeout_ms)");
        }
      });
    }
    if (on.ttftDeadlineMs() > 0) {
      ttftTimer = vertx.setTimer(on.ttftDeadlineMs(), t -> {
        ttftTimer = -1;
        if (!clientGotAByte.getAsBoolean()) {
          cut.passed("sent no first token within " + on.ttftDeadlineMs() + " ms (the route's ttft_deadline_ms)");
        }
      });
    }
  }

  void headArrived() {
    headArrived = true;
    if (firstByteTimer >= 0) {
      vertx.cancelTimer(firstByteTimer);
      firstByteTimer = -1;
    }
  }

  void cancel() {
    headArrived();
    if (ttftTimer >= 0) {
      vertx.cancelTimer(ttftTimer);
      ttftTimer = -1;
    }
  }
}
