package dev.gantry.config;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code postgresql://user:pass@host:port/db} URL, parsed once for both JDBC (migrations) and vertx-pg-client.
 * The password may instead come from a file ({@code --db-password-file}), which keeps it out of the URL, the
 * environment and the process list.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  public static DatabaseUrl parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --db-url '" + redact(url) + "': " + e.getMessage());
    }
    if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid --db-url '" + redact(url) + "': expected postgresql://user:pass@host:port/db");
    }
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return new DatabaseUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, db, user, password);
  }

  /** {@code url} with the password held in {@code file} (null: {@code url} as given). */
  public static String withPasswordFile(String url, Path file) {
    if (file == null) {
      return url;
    }
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("--db-password-file needs --db-url (the embedded database keeps its own password "
          + "in <data-dir>/postgres_password)");
    }
    DatabaseUrl parsed = parse(url);
    if (parsed.password() != null) {
      throw new IllegalArgumentException("give the database password either in --db-url or in --db-password-file, not both");
    }
    String password;
    try {
      password = Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --db-password-file " + file + ": " + e.getMessage());
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("--db-password-file " + file + " is empty");
    }
    return new DatabaseUrl(parsed.host, parsed.port, parsed.database, parsed.user, password).toUrl();
  }

  /** The URL, password included: for the node's own configuration only, never for a log line. */
  public String toUrl() {
    String credentials = encode(user) + (password == null ? "" : ":" + encode(password));
    return "postgresql://" + credentials + "@" + host + ":" + port + "/" + database;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setReconnectAttempts(0);
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  /** The URL without its password, for logs and messages. */
  public String display() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  /** Never the password: a record's default {@code toString} would print it wherever the URL is logged. */
  @Override
  public String toString() {
    return display();
  }

  private static String redact(String url) {
    return url.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
