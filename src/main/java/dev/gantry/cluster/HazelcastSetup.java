package dev.gantry.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;

/**
 * Builds the Hazelcast member config: vert.x's own maps kept, TCP-IP join with the listed peers (no
 * multicast), and the timing settings that make a join take ~2 s and a dead member noticed in under 2 s
 * (a hung one after 5 s of missing heartbeats).
 */
public final class HazelcastSetup {

  public static final String CLUSTER_NAME = "gantry";

  public static Config memberConfig(String host, int port, List<String> peers) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.setPublicAddress(host + ":" + port);
    network.getInterfaces().setEnabled(false);
    config.setProperty("hazelcast.local.localAddress", host);
    config.setProperty("hazelcast.socket.bind.any", "false");

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    join.getTcpIpConfig().addMember(host + ":" + port);
    peers.forEach(peer -> join.getTcpIpConfig().addMember(peer));
    return config;
  }

  private HazelcastSetup() {
  }
}
