package dev.gantry.hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A repository pinned to one commit, with the files a model takes from it: what the model spec keeps
 * under {@code resolved} at create time, so that every node downloads exactly the same bytes and a node
 * whose cache already holds them starts the model without asking the hub.
 *
 * @param mainFile the path the engine is given: the first GGUF file (shards sort first), or null for a
 *                 folder model (safetensors: the engine gets the commit folder)
 */
public record HubSnapshot(HubKind kind, String endpoint, String repo, String revision, String commit,
    List<HubFile> files, String mainFile) {

  public HubSnapshot {
    files = List.copyOf(files);
  }

  public long totalBytes() {
    return files.stream().mapToLong(HubFile::size).sum();
  }

  public JsonObject toJson() {
    return new JsonObject().put("source", kind.key()).put("endpoint", endpoint).put("repo", repo)
        .put("revision", revision).put("commit", commit).put("main_file", mainFile).put("total_bytes", totalBytes())
        .put("files", new JsonArray(files.stream().map(HubFile::toJson).toList()));
  }

  public static HubSnapshot fromJson(JsonObject json) {
    return new HubSnapshot(HubKind.ofSource(json.getString("source")).orElseThrow(), json.getString("endpoint"),
        json.getString("repo"), json.getString("revision"), json.getString("commit"),
        json.getJsonArray("files").stream().map(f -> HubFile.fromJson((JsonObject) f)).toList(),
        json.getString("main_file"));
  }
}
