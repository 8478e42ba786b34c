package dev.gantry.scheduler.autoscale;

import dev.gantry.common.AutoscaleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides a model's replicas from what the gateways report, one observation per model per second. Pure
 * (the clock comes in): up when the mean in-flight per replica over {@code scale_up_delay} exceeds the
 * target by more than {@link #TOLERANCE}; down when even the peak over {@code scale_down_delay} fits
 * fewer replicas and the last change is that old; to zero after {@code idle_time} without a request; and
 * from zero at once when a request is waiting. Waiting for a whole window before each move, and sizing
 * down by the peak, keeps it from flapping.
 */
public final class AutoscalePolicy {

  /** Load within 10 % of the target does not move anything. */
  static final double TOLERANCE = 0.1;

  /** What the gateways saw for a model at one moment: requests in flight or held, and whether any arrived since. */
  public record Observation(Instant at, double inFlight, int waiting, boolean requestsArrived) {
  }

  /** A change of replicas, with the reason a person reads. */
  public record Decision(int from, int to, String reason) {
  }

  private static final class History {
    final Deque<Observation> samples = new ArrayDeque<>();
    Instant lastRequest;
    Instant lastChange;
  }

  private final Map<String, History> histories = new HashMap<>();

  /** Records an observation of {@code model} (now at {@code replicas}) and answers a change, or null. */
  public Decision observe(String model, AutoscaleSpec spec, int replicas, Observation now) {
    History history = histories.computeIfAbsent(model, m -> new History());
    if (history.lastRequest == null || now.requestsArrived() || now.inFlight() > 0 || now.waiting() > 0) {
      history.lastRequest = now.at();
    }
    if (history.lastChange == null) {
      history.lastChange = now.at();
    }
    history.samples.addLast(now);
    Duration keep = spec.scaleUpDelay().compareTo(spec.scaleDownDelay()) > 0 ? spec.scaleUpDelay() : spec.scaleDownDelay();
    Instant oldestNeeded = now.at().minus(keep);
    while (history.samples.size() > 1 && !secondOldest(history).isAfter(oldestNeeded)) {
      history.samples.removeFirst();  // keeps the newest sample at or before the window's start: the window is full
    }
    Decision decision = decide(spec, replicas, now, history);
    if (decision != null) {
      history.lastChange = now.at();
    }
    return decision;
  }

  private static Instant secondOldest(History history) {
    java.util.Iterator<Observation> it = history.samples.iterator();
    it.next();
    return it.next().at();
  }

  /** Forgets a model (deleted, or no longer autoscaled). */
  public void forget(String model) {
    histories.remove(model);
  }

  private static Decision decide(AutoscaleSpec spec, int replicas, Observation now, History history) {
    if (replicas < spec.min() || replicas > spec.max()) {
      int to = Math.max(spec.min(), Math.min(spec.max(), replicas));
      return new Decision(replicas, to, replicas + " → " + to + ": outside autoscale bounds " + spec.min() + ".."
          + spec.max());
    }
    if (replicas == 0) {
      if (now.waiting() > 0 || now.inFlight() > 0) {
        int to = Math.max(1, spec.min());
        return new Decision(0, to, "0 → " + to + ": " + now.waiting() + " request(s) waiting (cold start)");
      }
      return null;
    }
    if (spec.min() == 0 && now.inFlight() == 0 && now.waiting() == 0
        && !history.lastRequest.plus(spec.idleTime()).isAfter(now.at())) {
      return new Decision(replicas, 0, replicas + " → 0: no request for " + spec.idleTime().toSeconds() + " s");
    }
    Window up = window(history, now.at(), spec.scaleUpDelay());
    if (up.full()) {
      double perReplica = up.mean() / replicas;
      if (perReplica > spec.targetInFlight() * (1 + TOLERANCE)) {
        int to = Math.min(spec.max(), (int) Math.ceil(up.mean() / spec.targetInFlight()));
        if (to > replicas) {
          return new Decision(replicas, to, String.format(Locale.ROOT,
              "%d → %d: %.1f in flight per replica over %d s, target %s", replicas, to, perReplica,
              spec.scaleUpDelay().toSeconds(), number(spec.targetInFlight())));
        }
      }
    }
    Window down = window(history, now.at(), spec.scaleDownDelay());
    if (down.full() && !history.lastChange.plus(spec.scaleDownDelay()).isAfter(now.at())) {
      int to = Math.max(Math.max(spec.min(), 1), (int) Math.ceil(down.peak() / spec.targetInFlight()));
      if (to < replicas) {
        return new Decision(replicas, to, String.format(Locale.ROOT,
            "%d → %d: at most %s in flight over %d s, target %s per replica", replicas, to, number(down.peak()),
            spec.scaleDownDelay().toSeconds(), number(spec.targetInFlight())));
      }
    }
    return null;
  }

  private record Window(boolean full, double mean, double peak) {
  }

  /** The samples of the last {@code length}; full when they reach back that far. */
  private static Window window(History history, Instant now, Duration length) {
    Instant start = now.minus(length);
    double sum = 0;
    double peak = 0;
    int count = 0;
    boolean full = false;
    for (Observation sample : history.samples) {
      if (!sample.at().isAfter(start)) {
        full = true;
      }
      if (!sample.at().isBefore(start)) {
        sum += sample.inFlight() + sample.waiting();
        peak = Math.max(peak, sample.inFlight() + sample.waiting());
        count++;
      }
    }
    return new Window(full || length.isZero(), count == 0 ? 0 : sum / count, peak);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
