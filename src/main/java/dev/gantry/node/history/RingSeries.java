package dev.gantry.node.history;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One series at one resolution: a fixed-size ring of points, each the average of the samples that fell
 * into one step-wide bucket. The bucket still filling is kept apart and shown as the newest point, so a
 * fresh node has a point at once. Never holds more than {@code capacity} closed points.
 */
final class RingSeries {

  private final long stepMs;
  private final long[] times;
  private final double[] values;
  private int start;
  private int size;
  private long bucket = Long.MIN_VALUE;
  private double sum;
  private int count;

  RingSeries(long stepMs, int capacity) {
    this.stepMs = stepMs;
    this.times = new long[capacity];
    this.values = new double[capacity];
  }

  void add(long epochMs, double value) {
    long at = Math.floorDiv(epochMs, stepMs) * stepMs;
    if (at < bucket) {
      return; // the clock went back: a late sample never rewrites the past
    }
    if (at != bucket) {
      close();
      bucket = at;
    }
    sum += value;
    count++;
  }

  private void close() {
    if (count == 0) {
      return;
    }
    int slot = (start + size) % times.length;
    times[slot] = bucket;
    values[slot] = sum / count;
    if (size < times.length) {
      size++;
    } else {
      start = (start + 1) % times.length;
    }
    sum = 0;
    count = 0;
  }

  /** The points at or after {@code fromMs}, oldest first, the open bucket last: {@code [epoch_ms, value]}. */
  List<double[]> since(long fromMs) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % times.length;
      if (times[slot] >= fromMs) {
        out.add(new double[] {times[slot], values[slot]});
      }
    }
    if (count > 0 && bucket >= fromMs) {
      out.add(new double[] {bucket, sum / count});
    }
    return out;
  }

  /** The newest time this series saw, or {@code Long.MIN_VALUE} when empty. */
  long newest() {
    if (count > 0) {
      return bucket;
    }
    return size == 0 ? Long.MIN_VALUE : times[(start + size - 1) % times.length];
  }

  int closedPoints() {
    return size;
  }

  int capacity() {
    return times.length;
  }

  void write(DataOutput out) throws IOException {
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % times.length;
      out.writeLong(times[slot]);
      out.writeDouble(values[slot]);
    }
    out.writeLong(bucket);
    out.writeDouble(sum);
    out.writeInt(count);
  }

  void read(DataInput in) throws IOException {
    int points = in.readInt();
    if (points < 0 || points > 10_000_000) {
      throw new IOException("bad point count " + points);
    }
    for (int i = 0; i < points; i++) {
      long time = in.readLong();
      double value = in.readDouble();
      sum = value;
      count = 1;
      bucket = time;
      close();
    }
    bucket = in.readLong();
    sum = in.readDouble();
    count = in.readInt();
    if (count < 0) {
      throw new IOException("bad bucket count " + count);
    }
  }
}
