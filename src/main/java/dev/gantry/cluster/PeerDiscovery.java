package dev.gantry.cluster;

import java.util.List;

/**
 * How a node finds its peers, from {@code --join}: a list of {@code host:port} peers (TCP-IP join; none
 * starts a new cluster), or one {@code dns:<name>[:port]} entry, the Kubernetes way: the name is a
 * headless Service whose A records are the members' addresses (Hazelcast's Kubernetes discovery in DNS
 * mode; no access to the Kubernetes API needed). The port defaults to the node's own cluster port.
 */
public record PeerDiscovery(List<String> peers, String serviceDns, int servicePort) {

  public static final String DNS_PREFIX = "dns:";

  /** Reads {@code --join}; throws with a message naming the expected forms for anything else. */
  public static PeerDiscovery parse(List<String> join, int clusterPort) {
    List<String> dns = join.stream().filter(entry -> entry.startsWith(DNS_PREFIX)).toList();
    if (dns.isEmpty()) {
      join.forEach(PeerDiscovery::checkPeer);
      return new PeerDiscovery(List.copyOf(join), null, 0);
    }
    if (join.size() > 1) {
      throw new IllegalArgumentException("--join takes either host:port peers or one dns:<service>[:port] entry, not both");
    }
    String rest = dns.get(0).substring(DNS_PREFIX.length());
    int colon = rest.lastIndexOf(':');
    String name = colon < 0 ? rest : rest.substring(0, colon);
    String port = colon < 0 ? String.valueOf(clusterPort) : rest.substring(colon + 1);
    if (name.isBlank() || !isPort(port)) {
      throw new IllegalArgumentException("--join dns: expects dns:<service name>[:port], e.g. "
          + "dns:gantry-hs.default.svc.cluster.local, got '" + dns.get(0) + "'");
    }
    return new PeerDiscovery(List.of(), name, Integer.parseInt(port));
  }

  /** True when peers come from DNS; such a node may find no peer and start the cluster itself. */
  public boolean byDns() {
    return serviceDns != null;
  }

  /** True when this node is told of peers to join rather than starting a cluster of its own. */
  public boolean joins() {
    return byDns() || !peers.isEmpty();
  }

  private static void checkPeer(String peer) {
    String[] parts = peer.split(":");
    if (parts.length != 2 || parts[0].isBlank() || !isPort(parts[1])) {
      throw new IllegalArgumentException("--join expects host:port[,host:port...] or dns:<service>[:port], got '"
          + peer + "'");
    }
  }

  private static boolean isPort(String text) {
    return !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(Character::isDigit)
        && Integer.parseInt(text) > 0 && Integer.parseInt(text) <= 65535;
  }
}
