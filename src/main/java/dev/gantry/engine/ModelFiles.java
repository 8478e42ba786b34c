package dev.gantry.engine;

import dev.gantry.scheduler.estimate.GgufHeader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a model's file before an engine is started for it, so the instance says what is wrong in plain words. */
final class ModelFiles {

  static void check(JsonObject model) throws IOException {
    JsonObject speculative = model.getJsonObject("speculative");
    if (speculative != null && speculative.getString("draft_model") != null) {
      checkFile("draft model", speculative.getString("draft_model"));
    }
    String path = model.getString("local_path");
    if (path == null || !"local_path".equals(model.getString("source"))) {
      return;
    }
    checkFile("model file", path);
  }

  private static void checkFile(String what, String path) throws IOException {
    Path file = Path.of(path);
    if (!Files.exists(file)) {
      throw new IOException(what + " " + path + " does not exist on this node");
    }
    if (!Files.isReadable(file)) {
      throw new IOException(what + " " + path + " is not readable by the Gantry process");
    }
    if (path.endsWith(".gguf")) {
      try {
        GgufHeader.read(file);
      } catch (IOException e) {
        throw new IOException(what + " " + path + " is not a valid GGUF: " + e.getMessage(), e);
      }
    }
  }

  private ModelFiles() {
  }
}
