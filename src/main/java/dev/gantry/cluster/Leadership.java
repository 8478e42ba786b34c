package dev.gantry.cluster;

import com.hazelcast.core.HazelcastInstance;

/**
 * Who does the once-per-cluster work: the oldest member. Every member agrees on the member list
 * order, so exactly one leads, and when it leaves the next oldest leads at once — no lock to expire.
 */
public final class Leadership {

  public static boolean leads(HazelcastInstance hazelcast) {
    return hazelcast.getLifecycleService().isRunning()
        && hazelcast.getCluster().getMembers().iterator().next().localMember();
  }

  private Leadership() {
  }
}
