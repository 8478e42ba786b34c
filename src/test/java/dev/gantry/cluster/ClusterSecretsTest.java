package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterSecretsTest {

  private final Path dataDir = TestFiles.tempDir("gantry-secret-");

  @AfterEach
  void cleanUp() {
    TestFiles.deleteRecursively(dataDir);
  }

  @Test
  void aNodeOnANetworkAddressWithoutASecretRefusesAndSaysHowToGetOne() {
    assertThatThrownBy(() -> ClusterSecrets.resolve(null, dataDir, "10.1.2.3", 5701, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listens on 10.1.2.3, a network address, and has no cluster secret")
        .hasMessageContaining("openssl rand -hex 32")
        .hasMessageContaining("GANTRY_CLUSTER_SECRET")
        .hasMessageContaining("--cluster-secret-file")
        .hasMessageContaining("--host 127.0.0.1");
    assertThat(dataDir.resolve(ClusterSecrets.FILE)).doesNotExist();
  }

  @Test
  void aJoiningNodeWithoutASecretRefuses() {
    assertThatThrownBy(() -> ClusterSecrets.resolve(null, dataDir, "127.0.0.1", 5702, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("joins a cluster (--join) but has no cluster secret")
        .hasMessageContaining("GANTRY_CLUSTER_SECRET")
        .hasMessageContaining("<data-dir>/cluster_secret");
    assertThat(dataDir.resolve(ClusterSecrets.FILE)).doesNotExist();
  }

  @Test
  void aShortSecretIsRefusedWithHowToMakeOne() {
    assertThatThrownBy(() -> ClusterSecret.of("too-short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 characters (got 9)")
        .hasMessageContaining("openssl rand -hex 32");
  }

  @Test
  void theFirstNodeOnLoopbackGeneratesAndKeepsOneReadableOnlyByItsOwner() throws Exception {
    ClusterSecret generated = ClusterSecrets.resolve(null, dataDir, "127.0.0.1", 5701, false);
    Path file = dataDir.resolve(ClusterSecrets.FILE);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    ClusterSecret again = ClusterSecrets.resolve(null, dataDir, "127.0.0.1", 5701, true);
    assertThat(again.clusterName()).isEqualTo(generated.clusterName());
  }

  @Test
  void theJoinCommandNamesTheSecretsFileNeverTheSecret() throws Exception {
    ClusterSecrets.resolve(null, dataDir, "127.0.0.1", 5701, false);
    Path file = dataDir.resolve(ClusterSecrets.FILE);

    String command = ClusterSecrets.joinCommand(file, "127.0.0.1", 5701);

    assertThat(command).contains("GANTRY_CLUSTER_SECRET=\"$(cat " + file.toAbsolutePath() + ")\"")
        .contains("--join 127.0.0.1:5701").doesNotContain(Files.readString(file));
  }

  @Test
  void aGivenSecretWinsAndIsNeverWrittenDown() throws Exception {
    ClusterSecret given = ClusterSecret.of(ClusterSecret.generate());

    assertThat(ClusterSecrets.resolve(given, dataDir, "10.1.2.3", 5701, true)).isSameAs(given);
    assertThat(dataDir.resolve(ClusterSecrets.FILE)).doesNotExist();
  }
}
