package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.PortClaim;
import dev.gantry.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The embedded database's port: chosen free from 54320 up and kept, or given")
class EmbeddedDatabasePortTest {

  @TempDir
  Path first;
  @TempDir
  Path second;

  @Test
  void twoNewDataDirectoriesGetDifferentFreePortsAndEachKeepsItsOwn() throws Exception {
    int port;
    try (PortClaim one = EmbeddedDatabasePort.claim(first, null);
         PortClaim two = EmbeddedDatabasePort.claim(second, null)) {
      port = one.port();
      assertThat(one.port()).isBetween(EmbeddedDatabasePort.FIRST, EmbeddedDatabasePort.LAST);
      assertThat(two.port()).isBetween(EmbeddedDatabasePort.FIRST, EmbeddedDatabasePort.LAST).isNotEqualTo(one.port());
      assertThat(Files.readString(first.resolve("embedded_db_port")).strip()).isEqualTo(String.valueOf(one.port()));
      assertThat(Files.readString(second.resolve("embedded_db_port")).strip()).isEqualTo(String.valueOf(two.port()));
    }
    try (PortClaim again = EmbeddedDatabasePort.claim(first, null)) {
      assertThat(again.port()).as("a restart keeps the port").isEqualTo(port);
    }
  }

  @Test
  void aKeptPortThatIsTakenIsRefusedNamingTheFile() throws Exception {
    int port = Ports.free();
    Files.writeString(first.resolve("embedded_db_port"), port + "\n");
    try (ServerSocket other = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EmbeddedDatabasePort.claim(first, null))
          .hasMessageStartingWith("cannot start the embedded postgresql: 127.0.0.1:" + port + " is already in use")
          .hasMessageContaining("this data directory keeps it in " + first.resolve("embedded_db_port"))
          .hasMessageContaining("--embedded-db-port");
    }
  }

  @Test
  void aGivenPortIsUsedAsItIsAndNotKept() throws Exception {
    int port = Ports.free();
    try (PortClaim claim = EmbeddedDatabasePort.claim(first, port)) {
      assertThat(claim.port()).isEqualTo(port);
      assertThatThrownBy(() -> EmbeddedDatabasePort.claim(second, port))
          .hasMessage("cannot start the embedded postgresql: 127.0.0.1:" + port + " is already in use (another node's "
              + "embedded database, or another program); give this node its own --embedded-db-port, or share the "
              + "other node's database with --db-url and --db-password-file");
    }
    assertThat(first.resolve("embedded_db_port")).doesNotExist();
  }

  @Test
  void aDamagedPortFileSaysWhatToDo() throws Exception {
    Files.writeString(first.resolve("embedded_db_port"), "fifty");

    assertThatThrownBy(() -> EmbeddedDatabasePort.claim(first, null))
        .hasMessage(first.resolve("embedded_db_port") + " should hold the embedded postgresql's port, but holds 'fifty'; "
            + "delete it to choose a free port again, or give --embedded-db-port");
  }
}
