package dev.gantry.health;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.Leadership;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Keeps node records honest: a node whose cluster member left is marked {@code unreachable} the
 * moment the membership change arrives (every node reacts; the write is idempotent), and a periodic
 * sweep by the oldest member catches records whose member is gone and removes those unreachable for
 * longer than the configured expiry.
 */
public final class NodeLivenessVerticle extends VerticleBase {

  static final long SWEEP_MS = 2_000;

  private final HazelcastInstance hazelcast;
  private final Duration expiry;
  private IMap<String, String> nodes;
  private UUID listener;
  private long timer;

  public NodeLivenessVerticle(HazelcastInstance hazelcast, Duration expiry) {
    this.hazelcast = hazelcast;
    this.expiry = expiry;
  }

  @Override
  public Future<?> start() {
    nodes = hazelcast.getMap(ClusterMaps.NODES);
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        vertx.executeBlocking(() -> markLeft(Set.of(event.getMember().getUuid().toString())), false);
      }
    });
    timer = vertx.setPeriodic(SWEEP_MS, t -> {
      if (Leadership.leads(hazelcast)) {
        vertx.executeBlocking(this::sweep, false);
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    hazelcast.getCluster().removeMembershipListener(listener);
    return Future.succeededFuture();
  }

  /** Marks the records of members that are no longer in the cluster unreachable; answers how many changed. */
  private int markLeft(Set<String> goneMembers) {
    int changed = 0;
    for (String name : nodes.keySet()) {
      String raw = nodes.get(name);
      if (raw == null) {
        continue;
      }
      JsonObject record = new JsonObject(raw);
      if (goneMembers.contains(record.getString("member_id")) && !"unreachable".equals(record.getString("state"))) {
        record.put("state", "unreachable")
            .put("state_message", "left the cluster at " + Instant.now() + "; last heartbeat " + record.getString("heartbeat_at"))
            .put("unreachable_since", Instant.now().toString());
        if (nodes.replace(name, raw, record.encode())) {
          changed++;
        }
      }
    }
    return changed;
  }

  private Void sweep() {
    Set<String> live = hazelcast.getCluster().getMembers().stream()
        .map(Member::getUuid).map(UUID::toString).collect(Collectors.toSet());
    Set<String> gone = nodes.values().stream().map(JsonObject::new).map(r -> r.getString("member_id"))
        .filter(id -> id != null && !live.contains(id)).collect(Collectors.toSet());
    if (!gone.isEmpty()) {
      markLeft(gone);
    }
    Instant cutoff = Instant.now().minus(expiry);
    nodes.forEach((name, raw) -> {
      String since = new JsonObject(raw).getString("unreachable_since");
      if (since != null && Instant.parse(since).isBefore(cutoff)) {
        nodes.remove(name, raw);
      }
    });
    return null;
  }
}
