package dev.gantry.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** This node's view of the cluster's members, without Hazelcast types: ids are the members' UUIDs as text. */
public final class Membership {

  private final HazelcastInstance hazelcast;

  public Membership(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  public boolean running() {
    return hazelcast.getLifecycleService().isRunning();
  }

  public int size() {
    return hazelcast.getCluster().getMembers().size();
  }

  public String localMemberId() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  public Set<String> memberIds() {
    return hazelcast.getCluster().getMembers().stream().map(Member::getUuid).map(UUID::toString)
        .collect(Collectors.toSet());
  }

  /** Whether this node does the once-per-cluster work ({@link Leadership}). */
  public boolean leads() {
    return Leadership.leads(hazelcast);
  }

  /** Calls {@code left} with a member's id when it leaves (on a Hazelcast thread: hand work off). */
  public Registration onMemberLeft(Consumer<String> left) {
    UUID id = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        left.accept(event.getMember().getUuid().toString());
      }
    });
    return () -> hazelcast.getCluster().removeMembershipListener(id);
  }

  /** Calls {@code changed} when a member joins or leaves (on a Hazelcast thread: hand work off). */
  public Registration onMembersChanged(Runnable changed) {
    UUID id = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        changed.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        changed.run();
      }
    });
    return () -> hazelcast.getCluster().removeMembershipListener(id);
  }

  /** A listener that can be removed. */
  public interface Registration {
    void remove();
  }
}
