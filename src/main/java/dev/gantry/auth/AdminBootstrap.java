package dev.gantry.auth;

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
 * (mode 0600). The insert is idempotent, so of several nodes starting together exactly one creates it.
 */
public final class AdminBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  public static final String PASSWORD_FILE = "initial_admin_password";

  public static Future<Void> ensureAdmin(Vertx vertx, PgUserStore users, Path dataDir, String configuredPassword) {
    String password = configuredPassword == null || configuredPassword.isBlank() ? Ids.secret(20) : configuredPassword;
    JsonObject admin = new JsonObject().put("username", "admin").put("full_name", "Administrator").put("role", "admin");
    return vertx.executeBlocking(() -> PasswordHasher.hash(password))
        .compose(hash -> users.createIfAbsent(admin, hash))
        .compose(created -> created == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> announce(dataDir, password, configuredPassword == null || configuredPassword.isBlank())));
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
        + " It is also in " + file + " (mode 0600).\n"
        + "================================================================\n";
    System.out.println(banner);
    return null;
  }

  private AdminBootstrap() {
  }
}
