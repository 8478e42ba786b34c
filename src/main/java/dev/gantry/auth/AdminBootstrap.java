package dev.gantry.auth;

import dev.gantry.cluster.SharedMap;
import dev.gantry.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code admin} user on the very first start of a cluster. Its password is the configured
 * bootstrap password, or a random one printed once and written to {@code <data-dir>/initial_admin_password}
 * (mode 0600); a generated password must be changed at the first sign-in, and the file goes once it has. The
 * insert is idempotent, so of several nodes starting together exactly one creates it.
 */
public final class AdminBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  public static final String PASSWORD_FILE = "initial_admin_password";

  public static Future<Void> ensureAdmin(Vertx vertx, PgUserStore users, Path dataDir, String configuredPassword) {
    String password = configuredPassword == null || configuredPassword.isBlank() ? Ids.secret(20) : configuredPassword;
    JsonObject admin = new JsonObject().put("username", "admin").put("full_name", "Administrator").put("role", "admin");
    return vertx.executeBlocking(() -> PasswordHasher.hash(password))
        .compose(hash -> users.createIfAbsent(admin, hash, generated(configuredPassword)))
        .compose(created -> created == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> announce(dataDir, password, generated(configuredPassword))));
  }

  /**
   * A generated password must be replaced at the first sign-in ({@code password_change_required}); one the
   * operator chose with {@code --bootstrap-password} need not be.
   */
  private static boolean generated(String configuredPassword) {
    return configuredPassword == null || configuredPassword.isBlank();
  }

  /**
   * Deletes this node's {@code initial_admin_password} once the admin has chosen a new password, whichever
   * node it was changed on (now, or later through the users map's events). Call after the users map is loaded.
   */
  public static void forgetPasswordFileOnceChanged(Vertx vertx, AccountDirectory directory, Path dataDir) {
    Path file = dataDir.resolve(PASSWORD_FILE);
    if (!Files.exists(file)) {
      return;
    }
    SharedMap users = directory.usersMap();
    SharedMap.Listening listener = users.listenBlocking(change -> {
      if (change.type() == SharedMap.ChangeType.UPDATED && changed(new JsonObject(change.value()))) {
        vertx.executeBlocking(() -> delete(file), false);
      }
    });
    boolean changedAlready = users.valuesBlocking().stream().map(JsonObject::new).anyMatch(AdminBootstrap::changed);
    if (changedAlready) {
      listener.close();
      delete(file);
    }
  }

  private static boolean changed(JsonObject user) {
    return "admin".equals(user.getString("username")) && "local".equals(user.getString("source"))
        && !user.getBoolean("password_change_required", false);
  }

  private static Void delete(Path file) {
    try {
      if (Files.deleteIfExists(file)) {
        LOG.info("the admin chose a new password: removed [file: {}]", file);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove [file: {}] [error: {}]; delete it by hand", file, e.getMessage());
    }
    return null;
  }

  private static Void announce(Path dataDir, String password, boolean generated) throws IOException {
    if (!generated) {
      LOG.info("created user 'admin' with the configured bootstrap password");
      return null;
    }
    Path file = dataDir.resolve(PASSWORD_FILE);
    Files.createDirectories(dataDir);
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    String banner = "\n================================================================\n"
        + " Gantry created the user 'admin' with this password (shown once):\n\n"
        + "     " + password + "\n\n"
        + " It is also in " + file + " (mode 0600) until the admin chooses a new\n"
        + " password, which the first sign-in asks for.\n"
        + "================================================================\n";
    System.out.println(banner);
    return null;
  }

  private AdminBootstrap() {
  }
}
