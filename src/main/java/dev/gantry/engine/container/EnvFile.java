package dev.gantry.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * An engine's environment for {@code --env-file}: one {@code NAME=value} a line, in a file only its owner can
 * read (0600, created so, never widened), so that the key reaches the container without appearing on any
 * command line. A value with a line break cannot be written in that format and is refused.
 */
public final class EnvFile {

  private EnvFile() {
  }

  public static Path write(Path file, Map<String, String> env) throws IOException {
    StringBuilder text = new StringBuilder();
    env.forEach((name, value) -> {
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || name.contains("=")) {
        throw new IllegalArgumentException("environment variable " + name + " cannot be passed to a container: its"
            + " value spans lines; change the model's env");
      }
      text.append(name).append('=').append(value).append('\n');
    });
    Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
