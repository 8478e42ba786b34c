package dev.gantry.hub;

import java.nio.file.Path;

/**
 * Where the per-node model cache keeps things: {@code <root>/<source>/<repo>/<commit>/<file>}, content-addressed
 * by the resolved commit (a new commit is a new folder; models on the same commit share files). Partial files
 * sit beside as {@code <file>.part}; what was verified is remembered under {@code <root>/.verified/}.
 */
public record CacheLayout(Path root) {

  public static final String PART = ".part";
  static final String VERIFIED = ".verified";

  public Path commitDir(HubSnapshot snapshot) {
    return inside(root.resolve(snapshot.kind().key()).resolve(snapshot.repo()).resolve(snapshot.commit()));
  }

  public Path file(HubSnapshot snapshot, HubFile file) {
    return inside(commitDir(snapshot).resolve(file.path()));
  }

  /** Where the engine is pointed: the main GGUF file, or the commit folder of a safetensors model. */
  public Path enginePath(HubSnapshot snapshot) {
    return snapshot.mainFile() == null ? commitDir(snapshot) : file(snapshot, new HubFile(snapshot.mainFile(), 0, null));
  }

  Path verifiedMark(Path file) {
    return inside(root.resolve(VERIFIED).resolve(root.relativize(file).toString() + ".json"));
  }

  /** A path from a relative cache id, refused when it would leave the cache. */
  public Path inside(Path path) {
    Path normal = path.toAbsolutePath().normalize();
    if (!normal.startsWith(root.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("path leaves the model cache: " + path);
    }
    return normal;
  }
}
