package dev.gantry.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a request comes from, for sign-in throttling. The peer address of the connection, unless that peer is
 * one of the operator's reverse proxies ({@code --trusted-proxies}, CIDRs): then {@code X-Forwarded-For} is
 * read from the right, skipping trusted proxies, and the first address that is not one is the client. A
 * header sent by anyone else is ignored, so a client cannot choose its own address to dodge the throttle.
 */
public final class ClientAddress {

  private record Cidr(byte[] network, int prefix) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Cidr> trusted;

  private ClientAddress(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /** @throws IllegalArgumentException naming the option when an entry is not an IP address or CIDR */
  public static ClientAddress trusting(List<String> cidrs) {
    List<Cidr> parsed = new ArrayList<>();
    for (String entry : cidrs == null ? List.<String>of() : cidrs) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.strip().split("/", 2);
      byte[] network = literal(parts[0]);
      int prefix;
      try {
        prefix = parts.length == 1 ? network == null ? -1 : network.length * 8 : Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (network == null || prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("--trusted-proxies: '" + entry + "' is not an IP address or CIDR "
            + "(e.g. 10.0.0.0/8, 192.168.1.7, fd00::/8)");
      }
      parsed.add(new Cidr(network, prefix));
    }
    return new ClientAddress(List.copyOf(parsed));
  }

  /** The client's address given the connection's peer and the {@code X-Forwarded-For} header (may be null). */
  public String of(String peer, String forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    if (forwardedFor == null || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (literal(hop) == null) {
        return client;
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    return bytes != null && trusted.stream().anyMatch(cidr -> cidr.contains(bytes));
  }

  /** The bytes of an IP literal; null for anything else (never a DNS lookup). */
  private static byte[] literal(String text) {
    boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = text.length() <= 45 && text.indexOf(':') >= 0
        && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
