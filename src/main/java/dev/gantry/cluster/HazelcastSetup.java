package dev.gantry.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.ProtocolType;
import com.hazelcast.internal.util.ConcurrencyUtil;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the Hazelcast member config: vert.x's own maps kept, TCP-IP join with the listed peers or
 * Kubernetes DNS discovery ({@link PeerDiscovery}; no multicast), and the timing settings that make a join take ~2 s and a dead member noticed in under 2 s
 * (a hung one after 5 s of missing heartbeats).
 *
 * <p>Strangers stay out as far as open-source Hazelcast allows: the cluster name is derived from the
 * cluster secret (a member with another name is refused at join), and the port speaks only the member
 * protocol — the advanced network config declares a member endpoint and nothing else, so no Hazelcast
 * client (nor the REST or memcache protocols) can connect. Member traffic itself is not encrypted.
 */
public final class HazelcastSetup {

  private static final Executor CALLBACKS = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()), new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
          Thread thread = new Thread(task, "hazelcast-callback-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        }
      });

  public static Config memberConfig(String clusterName, String host, int port, List<String> join) {
    PeerDiscovery discovery = PeerDiscovery.parse(join, port);
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    withoutStatistics(config);
    readModelNearCache(config, ClusterMaps.API_KEYS);
    readModelNearCache(config, ClusterMaps.USERS);
    runFutureCallbacksOnAPool();

    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
    members.setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
    members.getInterfaces().setEnabled(false);
    network.setMemberEndpointConfig(members);
    network.getEndpointConfigs().keySet().removeIf(endpoint -> endpoint.getType() != ProtocolType.MEMBER);
    config.setProperty("hazelcast.local.localAddress", host);
    config.setProperty("hazelcast.socket.bind.any", "false");

    JoinConfig joinConfig = network.getJoin();
    joinConfig.getMulticastConfig().setEnabled(false);
    joinConfig.getAutoDetectionConfig().setEnabled(false);
    if (discovery.byDns()) {
      byDns(config, joinConfig, discovery);
    } else {
      joinConfig.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
      joinConfig.getTcpIpConfig().addMember(host + ":" + port);
      discovery.peers().forEach(peer -> joinConfig.getTcpIpConfig().addMember(peer));
    }
    return config;
  }

  /**
   * Kubernetes DNS mode: the members are the A records of a headless Service. The discovery joiner gives
   * up at once with a zero wait before join, so a member would form a cluster of its own beside its peers:
   * this mode waits one second (measured: joins in ~4 s).
   */
  private static void byDns(Config config, JoinConfig joinConfig, PeerDiscovery discovery) {
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    joinConfig.getTcpIpConfig().setEnabled(false);
    joinConfig.getKubernetesConfig().setEnabled(true)
        .setProperty("service-dns", discovery.serviceDns())
        .setProperty("service-port", String.valueOf(discovery.servicePort()))
        .setProperty("service-dns-timeout", "5");
  }

  /**
   * Callbacks on Hazelcast futures (Vert.x's {@code Future.fromCompletionStage}) run on Hazelcast's
   * default async executor: the common fork-join pool, which on a machine with two cores or fewer starts
   * a new thread per callback (two per authenticated request, about 0.5 ms of CPU each). A small pool of
   * its own does the same work without creating threads; callbacks may still make remote calls from it.
   */
  private static void runFutureCallbacksOnAPool() {
    ConcurrencyUtil.setDefaultAsyncExecutor(CALLBACKS);
  }

  /**
   * Every gateway request reads an API key and its user: a near cache answers those reads on the
   * calling event loop instead of a partition thread (no thread hop), and a change or removal
   * invalidates every member's copy at once (invalidation batching off).
   */
  private static void readModelNearCache(Config config, String map) {
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    config.addMapConfig(new MapConfig(map).setStatisticsEnabled(false).setNearCacheConfig(new NearCacheConfig(map)
        .setInMemoryFormat(InMemoryFormat.OBJECT).setCacheLocalEntries(true).setInvalidateOnChange(true)));
  }

  /**
   * Gantry exports its own metrics and reads none of Hazelcast's: no per-operation map statistics, and no
   * metrics collection cycle (every 5 s it walked every map's records on every member, the Management
   * Center publisher included, which showed in gateway profiles).
   */
  private static void withoutStatistics(Config config) {
    config.getMetricsConfig().setEnabled(false);
    config.getMapConfig("default").setStatisticsEnabled(false);
  }

  private HazelcastSetup() {
  }
}
