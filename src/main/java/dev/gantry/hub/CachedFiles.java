package dev.gantry.hub;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What is in the cache and whether a cached file is still what the hub listed: its size, and its sha256
 * when the hub gave one. Hashing a large file at every start would be slow, so a verified file leaves a
 * mark (size, modification time, sha256); a file changed since (another mtime) is hashed again.
 */
final class CachedFiles {

  static boolean intact(CacheLayout layout, Path target, HubFile file) throws IOException {
    if (!Files.isRegularFile(target)) {
      return false;
    }
    if (file.size() >= 0 && Files.size(target) != file.size()) {
      remove(layout, target);
      return false;
    }
    if (file.sha256() == null || marked(layout, target, file)) {
      return true;
    }
    if (file.sha256().equalsIgnoreCase(FileDownload.sha256Of(target))) {
      markVerified(layout, target, file);
      return true;
    }
    remove(layout, target);
    return false;
  }

  static void markVerified(CacheLayout layout, Path target, HubFile file) throws IOException {
    Path mark = layout.verifiedMark(target);
    Files.createDirectories(mark.getParent());
    Files.writeString(mark, new JsonObject().put("size", Files.size(target))
        .put("mtime", Files.getLastModifiedTime(target).toMillis()).put("sha256", file.sha256()).encode());
  }

  private static boolean marked(CacheLayout layout, Path target, HubFile file) throws IOException {
    Path mark = layout.verifiedMark(target);
    if (!Files.isRegularFile(mark)) {
      return false;
    }
    JsonObject seen = new JsonObject(Files.readString(mark));
    return seen.getLong("size", -1L) == Files.size(target)
        && seen.getLong("mtime", -1L) == Files.getLastModifiedTime(target).toMillis()
        && file.sha256().equalsIgnoreCase(seen.getString("sha256", ""));
  }

  private static void remove(CacheLayout layout, Path target) throws IOException {
    Files.deleteIfExists(target);
    Files.deleteIfExists(layout.verifiedMark(target));
  }

  /** Every file: source, repo, commit, path, size, complete, and its path relative to the cache root. */
  static List<JsonObject> list(CacheLayout layout) throws IOException {
    Path root = layout.root();
    List<JsonObject> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith(CacheLayout.VERIFIED + "/")) {
          continue;
        }
        String[] parts = relative.split("/");
        if (parts.length < 5) {
          continue;
        }
        boolean partial = relative.endsWith(CacheLayout.PART);
        String path = String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
        out.add(new JsonObject().put("source", parts[0]).put("repo", parts[1] + "/" + parts[2])
            .put("commit", parts[3]).put("path", partial ? path.substring(0, path.length() - CacheLayout.PART.length()) : path)
            .put("size", Files.size(file)).put("complete", !partial).put("relative_path", relative));
      }
    }
    return out;
  }

  static boolean delete(CacheLayout layout, String relative) throws IOException {
    Path file = layout.inside(layout.root().resolve(relative));
    boolean existed = Files.deleteIfExists(file);
    Files.deleteIfExists(layout.verifiedMark(file));
    return existed;
  }

  private CachedFiles() {
  }
}
