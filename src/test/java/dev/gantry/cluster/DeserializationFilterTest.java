package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeserializationFilterTest {

  /** Not on the allow-list, like every class an attacker could name. */
  record Gadget(String command) implements Serializable {
  }

  @BeforeAll
  static void install() {
    DeserializationFilter.install();
  }

  @Test
  void isInstalledForTheWholeJvm() {
    assertThat(java.io.ObjectInputFilter.Config.getSerialFilter()).hasToString(DeserializationFilter.PATTERN);
    DeserializationFilter.install();
  }

  @Test
  void refusesAClassOffTheAllowList() throws Exception {
    byte[] bytes = serialize(new Gadget("touch /tmp/pwned"));

    assertThatThrownBy(() -> deserialize(bytes)).isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("REJECTED");
  }

  @Test
  void refusesTheUrlDnsGadgetInsideAllowedCollections() throws Exception {
    Map<URL, String> map = new HashMap<>();
    map.put(URI.create("http://attacker.example/").toURL(), "x");
    byte[] bytes = serialize(map);

    assertThatThrownBy(() -> deserialize(bytes)).isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("REJECTED");
  }

  @Test
  void letsThroughWhatHazelcastShipsBetweenMembers() throws Exception {
    List<Object> values = new ArrayList<>(List.of("text", 42L, UUID.randomUUID(), new byte[] {1, 2},
        new IllegalStateException("remote failure")));

    Object copy = deserialize(serialize(values));

    assertThat(copy).isInstanceOf(ArrayList.class);
    assertThat((List<?>) copy).hasSize(5).element(4).isInstanceOf(IllegalStateException.class);
  }

  private static byte[] serialize(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream stream = new ObjectOutputStream(out)) {
      stream.writeObject(value);
    }
    return out.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream stream = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return stream.readObject();
    }
  }
}
