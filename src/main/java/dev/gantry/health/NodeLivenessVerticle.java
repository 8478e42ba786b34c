package dev.gantry.health;

import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps node records honest: a node whose cluster member left is marked {@code unreachable} the
 * moment the membership change arrives (every node reacts; the write is idempotent) unless it said
 * goodbye ({@code stopped}), and a periodic sweep by the oldest member catches records whose member is
 * gone and removes those unreachable or stopped for longer than the configured expiry.
 */
public final class NodeLivenessVerticle extends VerticleBase {

  static final long SWEEP_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(NodeLivenessVerticle.class);

  private final LiveNodes nodes;
  private final Membership membership;
  private final Duration expiry;
  private Membership.Registration listener;
  private long timer;

  public NodeLivenessVerticle(LiveNodes nodes, Membership membership, Duration expiry) {
    this.nodes = nodes;
    this.membership = membership;
    this.expiry = expiry;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> membership.onMemberLeft(member -> markLeft(Set.of(member))
            .onSuccess(marked -> LOG.info("member left the cluster [member: {}] [records marked unreachable: {}]", member, marked))
            .onFailure(e -> LOG.warn("cannot mark the node of a member that left [member: {}]: {}", member, e.getMessage()))),
        false)
        .onSuccess(registration -> {
          listener = registration;
          timer = vertx.setPeriodic(SWEEP_MS, t -> {
            if (membership.leads()) {
              sweep();
            }
          });
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    if (listener != null) {
      listener.remove();
    }
    return Future.succeededFuture();
  }

  /** Marks the records of members that are no longer in the cluster unreachable. */
  private Future<Integer> markLeft(Set<String> goneMembers) {
    Instant now = Instant.now();
    return nodes.updateEach(record -> goneMembers.contains(record.memberId()) && record.state() != NodeState.UNREACHABLE
        && record.state() != NodeState.STOPPED ? record.unreachable(now) : null);
  }

  private void sweep() {
    nodes.all().compose(records -> {
      Set<String> live = membership.memberIds();
      Set<String> gone = records.stream().map(NodeRecord::memberId).filter(id -> id != null && !live.contains(id))
          .collect(Collectors.toSet());
      Instant cutoff = Instant.now().minus(expiry);
      List<Future<Boolean>> expired = records.stream()
          .filter(record -> record.unreachableSince() != null && record.unreachableSince().isBefore(cutoff)
              || record.state() == NodeState.STOPPED && record.heartbeatAt().isBefore(cutoff))
          .map(nodes::remove).collect(Collectors.toList());
      return Future.join(gone.isEmpty() ? Future.succeededFuture(0) : markLeft(gone), Future.join(expired));
    });
  }
}
