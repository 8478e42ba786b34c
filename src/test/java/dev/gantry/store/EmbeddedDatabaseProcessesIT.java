package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Real node processes with embedded PostgreSQL: a password, their own database only, no orphan left behind")
class EmbeddedDatabaseProcessesIT {

  private static final Duration START = Duration.ofSeconds(120);

  private static Path workDir;
  private static final List<GantryProcess> processes = new ArrayList<>();
  private static final List<Path> dataDirs = new ArrayList<>();

  @BeforeAll
  static void prepare() {
    workDir = TestFiles.tempDir("gantry-edb-it-");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    processes.forEach(GantryProcess::close);
    for (Path dataDir : dataDirs) {
      OrphanPostmaster.stopIfLeft(dataDir.resolve("postgres"));
    }
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  @DisplayName("the node works, while JDBC as postgres without the password or with a wrong one is refused; "
      + "the password file is 0600 and the log names it, never the password")
  void databaseNeedsThePassword() throws Exception {
    Node node = new Node("edb-password", Ports.free());
    GantryProcess process = node.start();
    node.awaitSignIn(process);

    Path file = node.dataDir.resolve("postgres_password");
    String password = Files.readString(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(failure(node.dbPort, null)).isNotNull();
    assertThat(failure(node.dbPort, "not-the-password")).isEqualTo("28P01");
    assertThat(dataDirectory(node.dbPort, password)).isEqualTo(node.dataDir.resolve("postgres").toString());
    assertThat(process.output())
        .contains("--db-url postgresql://postgres@127.0.0.1:" + node.dbPort + "/postgres --db-password-file " + file)
        .doesNotContain(password);
  }

  @Test
  @DisplayName("another local node shares the embedded database with the logged --db-url and --db-password-file")
  void otherNodeSharesWithThePasswordFile() {
    Node owner = new Node("edb-owner", Ports.free());
    GantryProcess ownerProcess = owner.start();
    owner.awaitSignIn(ownerProcess);
    Node sharer = new Node("edb-sharer", Ports.free());

    GantryProcess sharerProcess = sharer.start("--join", "127.0.0.1:" + owner.clusterPort,
        "--cluster-secret-file", owner.dataDir.resolve("cluster_secret").toString(),
        "--db-url", "postgresql://postgres@127.0.0.1:" + owner.dbPort + "/postgres",
        "--db-password-file", owner.dataDir.resolve("postgres_password").toString());

    Eventually.await(START, () -> {
      assertThat(sharerProcess.alive()).as("the sharer runs; its output:%n%s", sharerProcess.output()).isTrue();
      assertThat(new Api(sharer.url()).loginAttempt("admin", owner.adminPassword).status()).isEqualTo(200);
    });
    assertThat(sharer.dataDir.resolve("postgres")).as("the sharer runs no database of its own").doesNotExist();
    assertThat(sharerProcess.output()).doesNotContain("embedded postgresql started");
  }

  @Test
  @DisplayName("a second node with its own data directory on the first's --embedded-db-port refuses to start "
      + "and never reaches the first one's data")
  void secondNodeOnTheSamePortRefuses() throws Exception {
    Node first = new Node("edb-first", Ports.free());
    GantryProcess firstProcess = first.start();
    first.awaitSignIn(firstProcess);
    Node second = new Node("edb-second", first.dbPort);

    GantryProcess secondProcess = second.start();

    Integer exit = secondProcess.waitFor(60);
    assertThat(exit).as("exited within 60 s; output:%n%s", secondProcess.output()).isNotNull().isNotZero();
    assertThat(secondProcess.output()).contains("127.0.0.1:" + first.dbPort + " is already in use")
        .contains("--embedded-db-port").doesNotContain("embedded postgresql started");
    assertThat(second.dataDir.resolve("postgres/postgresql.conf")).doesNotExist();
    assertThat(listening(second.httpPort)).as("the second node never serves").isFalse();
    assertThat(new Api(first.url()).loginAttempt("admin", first.adminPassword).status()).isEqualTo(200);
    assertThat(dataDirectory(first.dbPort, Files.readString(first.dataDir.resolve("postgres_password"))))
        .isEqualTo(first.dataDir.resolve("postgres").toString());
  }

  @Test
  @DisplayName("the postmaster orphaned by a kill -9 of its node is stopped and replaced by the next start on that data dir")
  void orphanIsStoppedAndReplaced() throws Exception {
    Node node = new Node("edb-orphan", Ports.free());
    GantryProcess first = node.start();
    node.awaitSignIn(first);
    long orphan = OrphanPostmaster.running(node.dataDir.resolve("postgres")).orElseThrow().pid();

    first.kill();

    assertThat(first.alive()).isFalse();
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the killed node leaves its postmaster").contains(true);
    GantryProcess second = node.start();
    node.awaitSignIn(second);
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("the orphan is gone").isFalse();
    assertThat(OrphanPostmaster.running(node.dataDir.resolve("postgres")).orElseThrow().pid()).isNotEqualTo(orphan);
    assertThat(second.output()).contains("stopping the embedded postgresql left running by a node that did not stop it [pid: "
        + orphan + "]");
  }

  /** One node's ports, data directory and admin password; each start is a new process on the same data. */
  private static final class Node {
    final String name;
    final int dbPort;
    final int httpPort = Ports.free();
    final int clusterPort = Ports.free();
    final Path dataDir;
    final String adminPassword;

    Node(String name, int dbPort) {
      this.name = name;
      this.dbPort = dbPort;
      this.dataDir = workDir.resolve(name).resolve("data");
      this.adminPassword = name + "-Admin-pw-7";
      dataDirs.add(dataDir);
    }

    GantryProcess start(String... more) {
      List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(),
          "--port", String.valueOf(httpPort), "--cluster-port", String.valueOf(clusterPort),
          "--embedded-db-port", String.valueOf(dbPort), "--node-name", name, "--bootstrap-password", adminPassword));
      args.addAll(List.of(more));
      GantryProcess process = GantryProcess.start(name, workDir.resolve(name), args);
      processes.add(process);
      return process;
    }

    String url() {
      return "http://127.0.0.1:" + httpPort;
    }

    void awaitSignIn(GantryProcess process) {
      Eventually.await(START, () -> {
        assertThat(process.alive()).as("%s is running; its output:%n%s", name, process.output()).isTrue();
        assertThat(new Api(url()).loginAttempt("admin", adminPassword).status()).isEqualTo(200);
      });
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The SQLState of a failed JDBC connection as postgres, or null when it connects. */
  private static String failure(int port, String password) {
    try (Connection ignored = connect(port, password)) {
      return null;
    } catch (SQLException e) {
      return e.getSQLState() == null ? "none" : e.getSQLState();
    }
  }

  private static String dataDirectory(int port, String password) throws SQLException {
    try (Connection connection = connect(port, password);
         ResultSet rows = connection.createStatement().executeQuery("SHOW data_directory")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static Connection connect(int port, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
  }
}
