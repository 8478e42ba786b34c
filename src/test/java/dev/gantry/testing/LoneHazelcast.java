package dev.gantry.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** A real Hazelcast member that joins nobody: for tests of the cluster-state classes without a cluster. */
public final class LoneHazelcast {

  /** A member of a cluster named {@code <prefix>-<nanotime>}, on a free port, with no discovery of any kind. */
  public static HazelcastInstance start(String prefix) {
    Config config = new Config().setClusterName(prefix + "-" + System.nanoTime());
    config.getNetworkConfig().setPort(0).getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    return Hazelcast.newHazelcastInstance(config);
  }

  private LoneHazelcast() {
  }
}
