package dev.gantry.gateway;

import dev.gantry.cluster.SharedMap;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outstanding requests per instance across the cluster: this node's exact in-flight counts plus what
 * the other nodes last published to {@code gantry.instance-load} (every {@link #PUBLISH_MS} ms, with a
 * TTL so a dead node's counts fade away).
 */
public final class InstanceLoad {

  public static final long PUBLISH_MS = 500;
  static final long TTL_MS = 3_000;
  private static final long REFRESH_MS = TTL_MS / 2;

  private final String nodeName;
  private final SharedMap map;
  private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> relayed = new ConcurrentHashMap<>();
  private final Map<String, Integer> remoteByKey = new HashMap<>();
  private final Map<String, Integer> remote = new ConcurrentHashMap<>();
  private final Map<String, long[]> published = new HashMap<>();

  private final EngineQueues engines;

  public InstanceLoad(SharedMap map, String nodeName) {
    this(map, nodeName, null);
  }

  /** Also follows the engines' own readings in {@code engineLoad} (queue, KV cache), when not null. */
  public InstanceLoad(SharedMap map, String nodeName, SharedMap engineLoad) {
    this.nodeName = nodeName;
    this.map = map;
    this.engines = engineLoad == null ? null : new EngineQueues(engineLoad);
  }

  /** Follows the other nodes' counts and the engines' readings. */
  void start() {
    map.listenBlocking(change -> onRemote(change.type(), new JsonObject(change.value())));
    if (engines != null) {
      engines.startBlocking();
    }
  }

  /** What picking an instance weighs: requests in flight to it from every node, plus those waiting in its engine. */
  int pickLoad(String instanceId, long nowMs) {
    return outstanding(instanceId) + (engines == null ? 0 : engines.waiting(instanceId, nowMs));
  }

  /** The instance's engine's KV cache use (0–1) as last reported; 0 when unknown. */
  double kvUsage(String instanceId, long nowMs) {
    return engines == null ? 0 : engines.kvUsage(instanceId, nowMs);
  }

  /** Requests in flight to this instance from every node. */
  int outstanding(String instanceId) {
    AtomicInteger mine = local.get(instanceId);
    return (mine == null ? 0 : mine.get()) + remote.getOrDefault(instanceId, 0);
  }

  /** Counts one request to the instance until the lease is released. */
  Lease acquire(String instanceId) {
    AtomicInteger counter = local.computeIfAbsent(instanceId, id -> new AtomicInteger());
    counter.incrementAndGet();
    return new Lease(counter);
  }

  /**
   * Counts one request another node's gateway relayed to an engine of this node (that gateway counts it
   * for balancing; this count is for this node only: a graceful stop waits for it).
   */
  Lease acquireRelayed(String instanceId) {
    AtomicInteger counter = relayed.computeIfAbsent(instanceId, id -> new AtomicInteger());
    counter.incrementAndGet();
    return new Lease(counter);
  }

  /** Requests this node has in flight to the instance: its own gateway's and those relayed to it. */
  int inFlightHere(String instanceId) {
    AtomicInteger mine = local.get(instanceId);
    AtomicInteger relayedHere = relayed.get(instanceId);
    return (mine == null ? 0 : mine.get()) + (relayedHere == null ? 0 : relayedHere.get());
  }

  /** Requests this node's gateway has in flight to any instance, and those relayed to its engines. */
  int inFlightHere() {
    int sum = 0;
    for (AtomicInteger counter : local.values()) {
      sum += counter.get();
    }
    for (AtomicInteger counter : relayed.values()) {
      sum += counter.get();
    }
    return sum;
  }

  /**
   * Writes this node's counts that changed (and refreshes the TTL of those still above zero); a count
   * back at zero is removed. Called every {@link #PUBLISH_MS} ms from one event loop.
   */
  void publish(long nowMs) {
    local.forEach((instanceId, counter) -> {
      int count = counter.get();
      long[] last = published.get(instanceId);
      String key = nodeName + "/" + instanceId;
      if (count == 0) {
        if (last != null) {
          published.remove(instanceId);
          map.remove(key);
        }
      } else if (last == null || last[0] != count || nowMs - last[1] >= REFRESH_MS) {
        published.put(instanceId, new long[] {count, nowMs});
        String value = new JsonObject().put("node", nodeName).put("instance_id", instanceId).put("in_flight", count).encode();
        map.set(key, value, Duration.ofMillis(TTL_MS));
      }
    });
  }

  private synchronized void onRemote(SharedMap.ChangeType type, JsonObject item) {
    String node = item.getString("node");
    String instanceId = item.getString("instance_id");
    if (node == null || instanceId == null || node.equals(nodeName)) {
      return;
    }
    String key = node + "/" + instanceId;
    int count = type == SharedMap.ChangeType.DELETED ? 0 : item.getInteger("in_flight", 0);
    Integer before = count == 0 ? remoteByKey.remove(key) : remoteByKey.put(key, count);
    int sum = remote.getOrDefault(instanceId, 0) - (before == null ? 0 : before) + count;
    if (sum <= 0) {
      remote.remove(instanceId);
    } else {
      remote.put(instanceId, sum);
    }
  }

  /** One request's claim on an instance; releasing it twice counts once. */
  /** A lease counted nowhere shared: a request to an external provider, which no replica balancing concerns. */
  static Lease detached() {
    return new Lease(new AtomicInteger(1));
  }

  static final class Lease {
    private final AtomicInteger counter;
    private boolean released;

    private Lease(AtomicInteger counter) {
      this.counter = counter;
    }

    void release() {
      if (!released) {
        released = true;
        counter.decrementAndGet();
      }
    }
  }
}
