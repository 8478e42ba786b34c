package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Peers from --join: host:port peers, or the addresses of a DNS name (Kubernetes headless Service)")
class PeerDiscoveryTest {

  @Test
  void peersAreHostPortPairs() {
    PeerDiscovery discovery = PeerDiscovery.parse(List.of("10.0.0.1:5701", "n2:5702"), 5701);

    assertThat(discovery.byDns()).isFalse();
    assertThat(discovery.joins()).isTrue();
    assertThat(discovery.peers()).containsExactly("10.0.0.1:5701", "n2:5702");
    assertThat(PeerDiscovery.parse(List.of(), 5701).joins()).isFalse();
  }

  @Test
  void aDnsNameTakesTheClusterPortUnlessOneIsGiven() {
    PeerDiscovery implicit = PeerDiscovery.parse(List.of("dns:gantry-hs.ai.svc.cluster.local"), 5801);
    PeerDiscovery explicit = PeerDiscovery.parse(List.of("dns:gantry-hs:5701"), 5801);

    assertThat(implicit.byDns()).isTrue();
    assertThat(implicit.serviceDns()).isEqualTo("gantry-hs.ai.svc.cluster.local");
    assertThat(implicit.servicePort()).isEqualTo(5801);
    assertThat(explicit.serviceDns()).isEqualTo("gantry-hs");
    assertThat(explicit.servicePort()).isEqualTo(5701);
  }

  @Test
  void malformedEntriesAreRefusedWithTheFormsExpected() {
    assertThatThrownBy(() -> PeerDiscovery.parse(List.of("nohost"), 5701))
        .hasMessageContaining("host:port").hasMessageContaining("dns:<service>");
    assertThatThrownBy(() -> PeerDiscovery.parse(List.of("dns:"), 5701)).hasMessageContaining("dns:<service name>");
    assertThatThrownBy(() -> PeerDiscovery.parse(List.of("dns:svc:99999"), 5701)).hasMessageContaining("got 'dns:svc:99999'");
    assertThatThrownBy(() -> PeerDiscovery.parse(List.of("dns:svc", "n2:5701"), 5701)).hasMessageContaining("not both");
  }

  @Test
  void dnsModeUsesKubernetesDiscoveryAndWaitsBeforeJoining() {
    Config config = HazelcastSetup.memberConfig("c", "127.0.0.1", 5701, List.of("dns:gantry-hs.ai.svc.cluster.local"));

    var join = config.getAdvancedNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("gantry-hs.ai.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("1");
    assertThat(HazelcastSetup.memberConfig("c", "127.0.0.1", 5701, List.of()).getProperty("hazelcast.wait.seconds.before.join"))
        .isEqualTo("0");
  }

  /**
   * Two members on their own loopback addresses, each told only a DNS name that resolves to the first
   * one's address (an IP literal resolves like a name): they form one cluster, as pods behind a headless
   * Service do.
   */
  @Test
  void membersFoundThroughDnsFormOneCluster() {
    String cluster = "dns-" + UUID.randomUUID();
    int first = Ports.free();
    int second = Ports.free();
    List<HazelcastInstance> members = new ArrayList<>();
    try {
      members.add(Hazelcast.newHazelcastInstance(
          HazelcastSetup.memberConfig(cluster, "127.0.0.2", first, List.of("dns:127.0.0.2:" + first))));
      members.add(Hazelcast.newHazelcastInstance(
          HazelcastSetup.memberConfig(cluster, "127.0.0.3", second, List.of("dns:127.0.0.2:" + first))));

      Eventually.await(Duration.ofSeconds(30), () -> {
        assertThat(members.get(0).getCluster().getMembers()).hasSize(2);
        assertThat(members.get(1).getCluster().getMembers()).hasSize(2);
      });
      members.get(0).getMap("probe").put("k", "from the first");
      assertThat(members.get(1).getMap("probe").get("k")).isEqualTo("from the first");
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }
}
