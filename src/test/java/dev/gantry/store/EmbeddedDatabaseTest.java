package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.config.DatabaseUrl;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The embedded PostgreSQL: password (SCRAM) only, loopback only, and never someone else's server")
class EmbeddedDatabaseTest {

  private static final Vertx VERTX = Vertx.vertx();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable database : started) {
      database.close();
    }
    dirs.forEach(TestFiles::deleteRecursively);
  }

  @AfterAll
  static void closeVertx() {
    VERTX.close().await();
  }

  @Test
  @DisplayName("a new data directory gets a random password in a 0600 file, and nobody connects without it")
  void newDirectoryNeedsThePassword() throws Exception {
    Path dataDir = dir();
    int port = Ports.free();

    EmbeddedDatabase database = start(dataDir, port);

    Path file = dataDir.resolve("postgres_password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String password = Files.readString(file);
    assertThat(password).matches("[0-9a-f]{64}");
    assertThat(database.url().password()).isEqualTo(password);
    assertThat(database.url().display()).doesNotContain(password).isEqualTo("postgresql://postgres@127.0.0.1:" + port + "/postgres");
    assertThat(database.url().toString()).doesNotContain(password);
    assertThat(jdbcFailure(port, "wrong-password")).isEqualTo("28P01");
    assertThat(jdbcFailure(port, null)).as("no password: the driver is asked for one it has not").isNotNull();
    assertThat(vertxFailure(port, null)).isIn("28P01", "28000");
    assertThat(vertxFailure(port, "wrong-password")).isEqualTo("28P01");
    assertThat(jdbcFailure(port, password)).as("the password opens it").isNull();
    assertThat(show(port, password, "listen_addresses")).isEqualTo("127.0.0.1");
    assertThat(show(port, password, "password_encryption")).isEqualTo("scram-sha-256");
    assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).isEqualTo(PgHbaFile.CONTENT);
    assertThat(one(port, password, "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'"))
        .as("our verifier, few iterations").startsWith("SCRAM-SHA-256$" + ScramVerifier.ITERATIONS + ":");
  }

  @Test
  @DisplayName("the iteration count is read from a stored SCRAM verifier, 0 for anything else")
  void readsIterations() {
    assertThat(ScramVerifier.iterations(ScramVerifier.of("x"))).isEqualTo(ScramVerifier.ITERATIONS);
    assertThat(ScramVerifier.iterations("SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5")).isEqualTo(4096);
    assertThat(ScramVerifier.iterations("md5abcdef")).isZero();
    assertThat(ScramVerifier.iterations(null)).isZero();
    assertThat(ScramVerifier.of("x")).as("a fresh salt each time").isNotEqualTo(ScramVerifier.of("x"));
  }

  @Test
  @DisplayName("the unix socket asks for the password too (psql with a wrong one is refused)")
  void socketNeedsThePassword() throws Exception {
    Path psql = Path.of("/usr/bin/psql");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(psql), "psql is not installed");
    Path dataDir = dir();
    int port = Ports.free();
    start(dataDir, port);
    String socketDir = show(port, Files.readString(dataDir.resolve("postgres_password")), "unix_socket_directories")
        .split(",")[0].strip();

    Process wrong = psql(psql, socketDir, port, "wrong-password");
    Process none = psql(psql, socketDir, port, null);
    Process right = psql(psql, socketDir, port, Files.readString(dataDir.resolve("postgres_password")));

    assertThat(wrong.waitFor()).isNotZero();
    assertThat(new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("password authentication failed");
    assertThat(none.waitFor()).isNotZero();
    assertThat(right.waitFor()).as("the same socket with the password").isZero();
  }

  @Test
  @DisplayName("a restart keeps the password and the data")
  void restartKeepsPasswordAndData() throws Exception {
    Path dataDir = dir();
    int port = Ports.free();
    EmbeddedDatabase first = start(dataDir, port);
    String password = first.url().password();
    execute(port, password, "CREATE TABLE survivor (id int)");
    first.close();

    EmbeddedDatabase second = start(dataDir, port);

    assertThat(second.url().password()).isEqualTo(password);
    assertThat(show(port, password, "data_directory")).isEqualTo(dataDir.resolve("postgres").toString());
    execute(port, password, "SELECT * FROM survivor");
  }

  @Test
  @DisplayName("a data directory initialised with trust by an earlier version gets a password and SCRAM rules, data kept")
  void upgradesTrustDirectory() throws Exception {
    Path dataDir = dir();
    int port = Ports.free();
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
        .setCleanDataDirectory(false).setPort(port).setServerConfig("listen_addresses", "127.0.0.1").start()) {
      assertThat(jdbcFailure(port, null)).as("the old directory lets anyone in").isNull();
      execute(port, null, "CREATE TABLE old_data (id int)");
    }
    assertThat(PgHbaFile.trusts(dataDir.resolve("postgres"))).isTrue();

    EmbeddedDatabase database = start(dataDir, port);

    String password = database.url().password();
    assertThat(PgHbaFile.trusts(dataDir.resolve("postgres"))).isFalse();
    assertThat(vertxFailure(port, null)).isIn("28P01", "28000");
    assertThat(jdbcFailure(port, "wrong-password")).isEqualTo("28P01");
    execute(port, password, "SELECT * FROM old_data");
    database.close();
    assertThat(start(dataDir, port).url().password()).as("the next start uses the same password").isEqualTo(password);
  }

  @Test
  @DisplayName("a second node with another data directory on a port that answers refuses, naming --embedded-db-port")
  void refusesATakenPort() throws Exception {
    Path first = dir();
    Path second = dir();
    int port = Ports.free();
    EmbeddedDatabase running = start(first, port);

    assertThatThrownBy(() -> start(second, port))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + port + " is already in use")
        .hasMessageContaining("--embedded-db-port");

    assertThat(second.resolve("postgres/postgresql.conf")).as("nothing initialised in the second directory").doesNotExist();
    assertThat(show(port, running.url().password(), "data_directory")).isEqualTo(first.resolve("postgres").toString());
  }

  @Test
  @DisplayName("two nodes on one host without --embedded-db-port each run their own database on a port of their own")
  void defaultPortsDoNotCollide() throws Exception {
    Path first = dir();
    Path second = dir();

    EmbeddedDatabase one = start(first, null);
    EmbeddedDatabase two = start(second, null);

    int port = one.url().port();
    assertThat(two.url().port()).isNotEqualTo(port);
    assertThat(show(port, one.url().password(), "data_directory")).isEqualTo(first.resolve("postgres").toString());
    assertThat(show(two.url().port(), two.url().password(), "data_directory"))
        .isEqualTo(second.resolve("postgres").toString());
    one.close();
    assertThat(start(first, null).url().port()).as("a restart keeps its port").isEqualTo(port);
  }

  @Test
  @DisplayName("--db-password-file puts the password into the node's URL; it never appears in the URL's text form")
  void passwordFileForOtherNodes() throws Exception {
    Path file = dir().resolve("pw");
    Files.writeString(file, "s3cret:/@x\n");

    String url = DatabaseUrl.withPasswordFile("postgresql://postgres@127.0.0.1:54320/postgres", file);

    DatabaseUrl parsed = DatabaseUrl.parse(url);
    assertThat(parsed.password()).isEqualTo("s3cret:/@x");
    assertThat(parsed.user()).isEqualTo("postgres");
    assertThat(parsed.display()).isEqualTo("postgresql://postgres@127.0.0.1:54320/postgres");
    assertThat(parsed.toString()).doesNotContain("s3cret");
    assertThat(DatabaseUrl.withPasswordFile("postgresql://u@h/db", null)).isEqualTo("postgresql://u@h/db");
    assertThatThrownBy(() -> DatabaseUrl.withPasswordFile("postgresql://u:p@h/db", file))
        .hasMessageContaining("either in --db-url or in --db-password-file");
    assertThatThrownBy(() -> DatabaseUrl.withPasswordFile(null, file)).hasMessageContaining("needs --db-url");
    assertThatThrownBy(() -> DatabaseUrl.withPasswordFile("postgresql://u@h/db", file.resolveSibling("missing")))
        .hasMessageContaining("cannot read --db-password-file");
  }

  private EmbeddedDatabase start(Path dataDir, Integer port) throws IOException {
    EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, port);
    started.add(database);
    return database;
  }

  private Path dir() {
    Path dir = TestFiles.tempDir("gantry-edb-");
    dirs.add(dir);
    return dir;
  }

  /** The SQLState of a failed JDBC connection as postgres, or null when it connects. */
  private static String jdbcFailure(int port, String password) {
    try (Connection ignored = connect(port, password)) {
      return null;
    } catch (SQLException e) {
      return e.getSQLState() == null ? "none" : e.getSQLState();
    }
  }

  private static String vertxFailure(int port, String password) {
    PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase("postgres")
        .setUser("postgres");
    if (password != null) {
      options.setPassword(password);
    }
    try {
      PgConnection.connect(VERTX, options).await().close().await();
      return null;
    } catch (PgException e) {
      return e.getSqlState();
    }
  }

  private static String show(int port, String password, String setting) throws SQLException {
    return one(port, password, "SHOW " + setting);
  }

  private static String one(int port, String password, String sql) throws SQLException {
    try (Connection connection = connect(port, password); Statement statement = connection.createStatement();
         var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static void execute(int port, String password, String sql) throws SQLException {
    try (Connection connection = connect(port, password); Statement statement = connection.createStatement()) {
      statement.execute(sql);
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

  private static Process psql(Path psql, String socketDir, int port, String password) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(psql.toString(), "-w", "-h", socketDir, "-p", String.valueOf(port),
        "-U", "postgres", "-d", "postgres", "-c", "SELECT 1").redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("PG"));
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    return builder.start();
  }
}
