package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gantry.GantryNode;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayName("A two-node cluster that only holders of its secret can join, read or talk to")
class ClusterSecrecyTest {

  private static TestNodes nodes;
  private static Vertx outsider;

  @BeforeAll
  static void startTwoNodes() {
    nodes = TestNodes.start(2);
    outsider = Vertx.vertx();
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(hazelcast(1).getMap(ClusterMaps.NODES).size()).isEqualTo(2));
  }

  @AfterAll
  static void stop() {
    if (outsider != null) {
      outsider.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  private static HazelcastClusterManager clusterManager(int index) {
    return (HazelcastClusterManager) ((VertxInternal) nodes.node(index).vertx()).clusterManager();
  }

  private static HazelcastInstance hazelcast(int index) {
    return clusterManager(index).getHazelcastInstance();
  }

  private static String realClusterName() {
    return ClusterSecret.of(nodes.clusterSecret).clusterName();
  }

  @Test
  @DisplayName("a Hazelcast client cannot connect, neither with the name 'gantry' nor with the real derived name")
  void hazelcastClientsCannotConnect() {
    for (String name : List.of("gantry", realClusterName())) {
      ClientConfig config = new ClientConfig().setClusterName(name);
      config.setProperty("hazelcast.logging.type", "slf4j");
      config.getNetworkConfig().addAddress("127.0.0.1:" + nodes.clusterPort(1));
      config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);

      assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(config)).as("client with cluster name %s", name)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unable to connect");
    }
    assertThat(hazelcast(1).getClientService().getConnectedClients()).isEmpty();
  }

  @Test
  @DisplayName("a member without the secret, or with another secret, does not join and sees none of the maps")
  void strangerMembersDoNotJoin() {
    assertThat(hazelcast(1).getMap(ClusterMaps.USERS).size()).as("the real cluster has users").isPositive();
    String otherSecretsName = ClusterSecret.of(ClusterSecret.generate()).clusterName();
    for (String name : List.of("gantry", otherSecretsName)) {
      HazelcastInstance stranger = Hazelcast.newHazelcastInstance(strangerConfig(name));
      try {
        assertThat(stranger.getCluster().getMembers()).as("stranger named %s", name).hasSize(1);
        assertThat(hazelcast(1).getCluster().getMembers()).hasSize(2);
        assertThat(hazelcast(2).getCluster().getMembers()).hasSize(2);
        assertThat(stranger.getMap(ClusterMaps.NODES).keySet()).isEmpty();
        assertThat(stranger.getMap(ClusterMaps.USERS).keySet()).isEmpty();
        assertThat(stranger.getMap(ClusterMaps.API_KEYS).keySet()).isEmpty();
      } finally {
        stranger.getLifecycleService().terminate();
      }
    }
  }

  @Test
  @DisplayName("a Gantry node with a wrong secret starts a cluster of its own instead of joining")
  void nodeWithAWrongSecretDoesNotJoin() {
    Path dataDir = TestFiles.tempDir("gantry-intruder-");
    String name = "intruder-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(Ports.free()), "--cluster-port", String.valueOf(Ports.free()), "--node-name", name,
        "--db-url", nodes.dbUrl(), "--bootstrap-password", TestNodes.ADMIN_PASSWORD, "--http-instances", "1",
        "--cluster-secret", ClusterSecret.generate(), "--join", "127.0.0.1:" + nodes.clusterPort(1)));
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    try (GantryNode intruder = GantryNode.start(command.toConfig())) {
      HazelcastInstance intruders = ((HazelcastClusterManager) ((VertxInternal) intruder.vertx()).clusterManager())
          .getHazelcastInstance();

      assertThat(intruders.getCluster().getMembers()).hasSize(1);
      assertThat(hazelcast(1).getCluster().getMembers()).hasSize(2);
      assertThat(intruders.getMap(ClusterMaps.NODES).keySet()).containsExactly(name);
      assertThat(hazelcast(1).getMap(ClusterMaps.NODES).keySet()).doesNotContain(name).hasSize(2);
    } catch (Exception e) {
      throw new AssertionError("the intruder node should start alone: " + e.getMessage(), e);
    } finally {
      TestFiles.deleteRecursively(dataDir);
    }
  }

  @Test
  @DisplayName("nodes talk over the TLS event bus: a request from node 1 is answered by node 2")
  void eventBusRequestReplyAcrossNodes() {
    String address = "test.secrecy." + UUID.randomUUID();
    nodes.node(2).vertx().eventBus().<String>consumer(address, message -> message.reply("pong from 2: " + message.body()))
        .completion().await();

    String reply = nodes.node(1).vertx().eventBus().<String>request(address, "ping").await().body();

    assertThat(reply).isEqualTo("pong from 2: ping");
  }

  @Test
  @DisplayName("the event-bus port completes a TLS handshake only with the certificate derived from the secret")
  void eventBusPortRefusesStrangers() {
    NodeInfo eventBus = clusterManager(1).getNodeInfo();
    EventBusTls real = EventBusTls.of(ClusterSecret.of(nodes.clusterSecret));
    EventBusTls other = EventBusTls.of(ClusterSecret.of(ClusterSecret.generate()));

    NetSocket holder = connect(eventBus, new NetClientOptions().setKeyCertOptions(real.keyCertOptions())
        .setTrustOptions(real.trustOptions()));
    holder.close().await();

    assertThatThrownBy(() -> connect(eventBus, new NetClientOptions().setTrustAll(true)))
        .as("no client certificate").isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> connect(eventBus, new NetClientOptions().setKeyCertOptions(other.keyCertOptions())
        .setTrustAll(true))).as("another secret's certificate").isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> connect(eventBus, new NetClientOptions().setKeyCertOptions(real.keyCertOptions())
        .setTrustOptions(other.trustOptions()))).as("a server that is not this cluster's is not trusted either")
        .isInstanceOf(SSLException.class);
  }

  /**
   * Connects with TLS 1.2 only, where a refused client certificate fails the handshake itself (TLS 1.3
   * reports it after the client thinks it is done).
   */
  private static NetSocket connect(NodeInfo eventBus, NetClientOptions options) {
    NetClient client = outsider.createNetClient(options.setSsl(true).setHostnameVerificationAlgorithm("")
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2")).setConnectTimeout(3000)
        .setSslHandshakeTimeout(10).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
    return client.connect(eventBus.port(), eventBus.host()).await();
  }

  private static Config strangerConfig(String clusterName) {
    Config config = new Config().setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.join.seconds", "10");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.getNetworkConfig().setPort(Ports.free()).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).addMember("127.0.0.1:" + nodes.clusterPort(1));
    return config;
  }
}
