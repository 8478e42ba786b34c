package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address: X-Forwarded-For is believed only from trusted proxies")
class ClientAddressTest {

  private final ClientAddress behindProxies = ClientAddress.trusting(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

  @Test
  void ignoresTheHeaderWithoutTrustedProxies() {
    assertThat(ClientAddress.trusting(List.of()).of("127.0.0.1", "203.0.113.9")).isEqualTo("127.0.0.1");
  }

  @Test
  void ignoresTheHeaderFromAPeerThatIsNoTrustedProxy() {
    assertThat(behindProxies.of("198.51.100.4", "203.0.113.9")).isEqualTo("198.51.100.4");
    assertThat(behindProxies.of("192.168.1.8", "203.0.113.9")).as("a single address is /32").isEqualTo("192.168.1.8");
  }

  @Test
  void takesTheRightmostAddressThatIsNoTrustedProxy() {
    assertThat(behindProxies.of("10.1.2.3", "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(behindProxies.of("10.1.2.3", "1.2.3.4, 203.0.113.9, 10.9.9.9")).as("a client cannot prepend its choice")
        .isEqualTo("203.0.113.9");
    assertThat(behindProxies.of("192.168.1.7", "10.0.0.5, 10.0.0.6")).as("only proxies: the first").isEqualTo("10.0.0.5");
    assertThat(behindProxies.of("fd00::1", "2001:db8::7")).isEqualTo("2001:db8::7");
  }

  @Test
  void stopsAtSomethingThatIsNoAddress() {
    assertThat(behindProxies.of("10.1.2.3", "evil.example, 10.0.0.9")).isEqualTo("10.0.0.9");
    assertThat(behindProxies.of("10.1.2.3", "garbage")).isEqualTo("10.1.2.3");
    assertThat(behindProxies.of("10.1.2.3", "")).isEqualTo("10.1.2.3");
    assertThat(behindProxies.of(null, "203.0.113.9")).isEqualTo("unknown");
  }

  @Test
  void refusesAnEntryThatIsNoAddressOrCidr() {
    assertThatThrownBy(() -> ClientAddress.trusting(List.of("proxy.example"))).hasMessageContaining("--trusted-proxies");
    assertThatThrownBy(() -> ClientAddress.trusting(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> ClientAddress.trusting(List.of("10.0.0.0/x"))).hasMessageContaining("CIDR");
  }
}
