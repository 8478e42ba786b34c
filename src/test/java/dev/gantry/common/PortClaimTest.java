package dev.gantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ports claimed on this host: by a node of this JVM, by another program, by another process's node. */
class PortClaimTest {

  private static final String HOST = "127.0.0.1";

  @TempDir
  Path dir;

  @Test
  void aClaimedPortIsNotClaimedAgainUntilItIsReleased() {
    int port = Ports.free();
    PortClaim first = PortClaim.tryClaim(HOST, port).orElseThrow();

    assertThat(PortClaim.tryClaim(HOST, port)).isEmpty();

    first.close();
    first.close();
    Optional<PortClaim> again = PortClaim.tryClaim(HOST, port);
    assertThat(again).isPresent();
    again.get().close();
  }

  @Test
  void skipsAPortAnotherProgramListensOn() throws Exception {
    int port = Ports.free();
    try (ServerSocket other = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      assertThat(PortClaim.tryClaim(HOST, port)).isEmpty();
    }
    PortClaim claim = PortClaim.tryClaim(HOST, port).orElseThrow();
    claim.close();
  }

  @Test
  void aPortClaimedByAnotherProcessIsFreeAgainOnceThatProcessDies() throws Exception {
    int port = Ports.free();
    Process other = lockInAnotherJvm(PortClaim.DIR.resolve(port + ".lock"));
    try {
      assertThat(PortClaim.tryClaim(HOST, port)).isEmpty();
    } finally {
      other.destroyForcibly();
      assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    PortClaim claim = PortClaim.tryClaim(HOST, port).orElseThrow();
    claim.close();
  }

  /** A second JVM that locks the file the way a node does and holds it until it is killed. */
  private Process lockInAnotherJvm(Path lockFile) throws Exception {
    Path source = Files.writeString(dir.resolve("Locker.java"), """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class Locker {
          public static void main(String[] args) throws Exception {
            FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            System.out.println(channel.tryLock() != null ? "locked" : "busy");
            Thread.sleep(60_000);
          }
        }
        """);
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        source.toString(), lockFile.toString()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    return process;
  }
}
