package dev.gantry.node.history;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's own samples, downsampled into every {@link HistoryRange} at once. Each series (the node's CPU
 * and memory, each device's readings) holds one fixed-size ring per range, so the memory used is bounded
 * by {@link #MAX_SERIES} series whatever runs for how long; a series nothing fed for a month is dropped.
 * Times come from the caller (a clock in tests). Thread-safe.
 */
public final class MetricsHistory {

  /** More series than this (a node whose devices keep changing ids) drops the new ones. */
  public static final int MAX_SERIES = 512;
  private static final int FORMAT = 1;

  /** A series: {@code device} null for the node's own readings (in a model history: the model's name). */
  public record Key(String device, String metric) {
    public Key {
      Objects.requireNonNull(metric, "metric");
    }
  }

  private final Map<Key, RingSeries[]> series = new LinkedHashMap<>();

  /** Adds one sample per series at {@code epochMs}; a null value (a reading the device does not give) is skipped. */
  public synchronized void record(long epochMs, Map<Key, Double> sample) {
    sample.forEach((key, value) -> {
      if (value == null || value.isNaN()) {
        return;
      }
      RingSeries[] rings = series.get(key);
      if (rings == null) {
        if (series.size() >= MAX_SERIES) {
          return;
        }
        rings = newRings();
        series.put(key, rings);
      }
      for (RingSeries ring : rings) {
        ring.add(epochMs, value);
      }
    });
    long oldest = epochMs - HistoryRange.MONTH.spanMs();
    series.values().removeIf(rings -> rings[HistoryRange.MONTH.ordinal()].newest() < oldest);
  }

  /** Every series with its points in {@code range} up to {@code nowMs}: {@code [epoch_ms, value]}, oldest first. */
  public synchronized Map<Key, List<double[]>> query(HistoryRange range, long nowMs) {
    Map<Key, List<double[]>> out = new LinkedHashMap<>();
    series.forEach((key, rings) -> {
      List<double[]> points = rings[range.ordinal()].since(nowMs - range.spanMs());
      if (!points.isEmpty()) {
        out.put(key, points);
      }
    });
    return out;
  }

  /** The series of one subject ({@link Key#device()}) with their points in {@code range}, by metric. */
  public synchronized Map<String, List<double[]>> query(String device, HistoryRange range, long nowMs) {
    Map<String, List<double[]>> out = new LinkedHashMap<>();
    series.forEach((key, rings) -> {
      if (device.equals(key.device())) {
        List<double[]> points = rings[range.ordinal()].since(nowMs - range.spanMs());
        if (!points.isEmpty()) {
          out.put(key.metric(), points);
        }
      }
    });
    return out;
  }

  /** Closed points of the largest ring, for tests of the bound. */
  public synchronized int mostPointsIn(HistoryRange range) {
    return series.values().stream().mapToInt(r -> r[range.ordinal()].closedPoints()).max().orElse(0);
  }

  public synchronized void write(DataOutput out) throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(series.size());
    for (Map.Entry<Key, RingSeries[]> entry : series.entrySet()) {
      out.writeBoolean(entry.getKey().device() != null);
      if (entry.getKey().device() != null) {
        out.writeUTF(entry.getKey().device());
      }
      out.writeUTF(entry.getKey().metric());
      for (RingSeries ring : entry.getValue()) {
        ring.write(out);
      }
    }
  }

  /** Reads what {@link #write} wrote; throws on anything else (the caller starts empty then). */
  public static MetricsHistory read(DataInput in) throws IOException {
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("unknown format " + format);
    }
    int count = in.readInt();
    if (count < 0 || count > MAX_SERIES) {
      throw new IOException("bad series count " + count);
    }
    MetricsHistory history = new MetricsHistory();
    for (int i = 0; i < count; i++) {
      String device = in.readBoolean() ? in.readUTF() : null;
      Key key = new Key(device, in.readUTF());
      RingSeries[] rings = newRings();
      for (RingSeries ring : rings) {
        ring.read(in);
      }
      history.series.put(key, rings);
    }
    return history;
  }

  private static RingSeries[] newRings() {
    List<RingSeries> rings = new ArrayList<>();
    for (HistoryRange range : HistoryRange.values()) {
      rings.add(new RingSeries(range.stepMs(), range.capacity()));
    }
    return rings.toArray(RingSeries[]::new);
  }
}
