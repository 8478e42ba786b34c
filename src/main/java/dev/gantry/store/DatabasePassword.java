package dev.gantry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The superuser password of the embedded PostgreSQL, kept in a file readable by its owner only
 * ({@code <data-dir>/postgres_password}). Other local nodes read it through {@code --db-password-file}.
 */
final class DatabasePassword {

  static final String FILE_NAME = "postgres_password";

  private DatabasePassword() {
  }

  /** The password in {@code file}, generated (32 random bytes, hex) when the file does not exist yet. */
  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, password);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  static String read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalStateException("the embedded postgresql's password file " + file + " is missing; restore it "
          + "from a backup of the data directory (the database only accepts the password it was given)");
    }
    String password = Files.readString(file).strip();
    if (password.isEmpty()) {
      throw new IllegalStateException("the embedded postgresql's password file " + file + " is empty");
    }
    return password;
  }
}
