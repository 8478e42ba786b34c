package dev.gantry.scheduler.autoscale;

import dev.gantry.common.AutoscaleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
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

  /**
   * What the gateways saw for a model at one moment: requests in flight or held, and whether any arrived
   * since; and what its engines report: requests queued in them (summed) and KV cache use (mean, 0–1;
   * NaN when no engine reports it).
   */
  public record Observation(Instant at, double inFlight, int waiting, boolean requestsArrived, double queued,
      double kvUsage) {

    public Observation(Instant at, double inFlight, int waiting, boolean requestsArrived) {
      this(at, inFlight, waiting, requestsArrived, 0, Double.NaN);
    }
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
      Demand most = null;
      for (Demand demand : demands(spec, replicas, up, false)) {
        if (demand.perReplica() > demand.target() * (1 + TOLERANCE) && (most == null || demand.replicas() > most.replicas())) {
          most = demand;
        }
      }
      int to = most == null ? replicas : Math.min(spec.max(), most.replicas());
      if (to > replicas) {
        return new Decision(replicas, to, String.format(Locale.ROOT, "%d → %d: %s %s per replica over %d s, target %s",
            replicas, to, number1(most.perReplica()), most.what(), spec.scaleUpDelay().toSeconds(), number(most.target())));
      }
    }
    Window down = window(history, now.at(), spec.scaleDownDelay());
    if (down.full() && !history.lastChange.plus(spec.scaleDownDelay()).isAfter(now.at())) {
      List<Demand> peaks = demands(spec, replicas, down, true);
      int to = Math.max(Math.max(spec.min(), 1), peaks.stream().mapToInt(Demand::replicas).max().orElse(1));
      if (to < replicas) {
        Demand first = peaks.get(0);
        return new Decision(replicas, to, String.format(Locale.ROOT,
            "%d → %d: at most %s in flight over %d s, target %s per replica%s", replicas, to, number(first.total()),
            spec.scaleDownDelay().toSeconds(), number(spec.targetInFlight()),
            peaks.size() > 1 ? " (engine queues and KV cache agree)" : ""));
      }
    }
    return null;
  }

  /** What one metric asks for: the replicas that bring it to its target, from its total and per-replica value. */
  private record Demand(String what, double total, double perReplica, double target, int replicas) {
  }

  /** Each metric's demand over a window: its mean (to go up) or its peak (to go down). */
  private static List<Demand> demands(AutoscaleSpec spec, int replicas, Window window, boolean peak) {
    List<Demand> demands = new ArrayList<>(3);
    double load = peak ? window.peak() : window.mean();
    demands.add(new Demand("in flight", load, load / replicas, spec.targetInFlight(),
        (int) Math.ceil(load / spec.targetInFlight())));
    if (spec.targetQueue() != null && spec.targetQueue() > 0) {
      double queued = peak ? window.peakQueued() : window.meanQueued();
      demands.add(new Demand("queued in the engine", queued, queued / replicas, spec.targetQueue(),
          (int) Math.ceil(queued / spec.targetQueue())));
    }
    if (spec.targetKvUsage() != null && spec.targetKvUsage() > 0 && !Double.isNaN(window.meanKv())) {
      double kv = peak ? window.peakKv() : window.meanKv();
      demands.add(new Demand("KV cache use", kv * replicas, kv, spec.targetKvUsage(),
          (int) Math.ceil(replicas * kv / spec.targetKvUsage())));
    }
    return demands;
  }

  private record Window(boolean full, double mean, double peak, double meanQueued, double peakQueued, double meanKv,
      double peakKv) {
  }

  /** The samples of the last {@code length}; full when they reach back that far. */
  private static Window window(History history, Instant now, Duration length) {
    Instant start = now.minus(length);
    double sum = 0;
    double peak = 0;
    double queued = 0;
    double peakQueued = 0;
    double kv = 0;
    double peakKv = 0;
    int kvCount = 0;
    int count = 0;
    boolean full = false;
    for (Observation sample : history.samples) {
      if (!sample.at().isAfter(start)) {
        full = true;
      }
      if (!sample.at().isBefore(start)) {
        double load = sample.inFlight() + sample.waiting();
        sum += load;
        peak = Math.max(peak, load);
        queued += sample.queued();
        peakQueued = Math.max(peakQueued, sample.queued());
        if (!Double.isNaN(sample.kvUsage())) {
          kv += sample.kvUsage();
          peakKv = Math.max(peakKv, sample.kvUsage());
          kvCount++;
        }
        count++;
      }
    }
    return new Window(full || length.isZero(), count == 0 ? 0 : sum / count, peak, count == 0 ? 0 : queued / count,
        peakQueued, kvCount == 0 ? Double.NaN : kv / kvCount, peakKv);
  }

  private static String number1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
