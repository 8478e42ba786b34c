package dev.gantry.common;

/**
 * Where the gateway hands each request's usage record, on the thread that serves the request and before
 * the answer's last bytes go out. An implementation never blocks for long and never throws: a record it
 * cannot keep is counted and logged by it.
 */
@FunctionalInterface
public interface UsageSink {

  void record(UsageRecord record);
}
