package dev.gantry.hub;

import io.vertx.core.json.JsonObject;

/**
 * One file of a resolved repository revision: its path in the repo, its size, and its sha256 where
 * the hub gives one (Hugging Face LFS files, every ModelScope file); null otherwise (size is then the check).
 */
public record HubFile(String path, long size, String sha256) {

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("size", size).put("sha256", sha256);
  }

  public static HubFile fromJson(JsonObject json) {
    return new HubFile(json.getString("path"), json.getLong("size", -1L), json.getString("sha256"));
  }
}
