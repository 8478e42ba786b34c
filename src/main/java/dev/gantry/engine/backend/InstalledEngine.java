package dev.gantry.engine.backend;

import io.vertx.core.json.JsonObject;

/** An engine executable a node found, with the version it reported: one entry of the node record's {@code engines}. */
public record InstalledEngine(String backend, String version, String executable) {

  public JsonObject toJson() {
    return new JsonObject().put("backend", backend).put("version", version).put("executable", executable);
  }

  public static InstalledEngine fromJson(JsonObject json) {
    return new InstalledEngine(json.getString("backend"), json.getString("version"), json.getString("executable"));
  }

  public EngineVersion parsedVersion() {
    return EngineVersion.parse(version);
  }
}
