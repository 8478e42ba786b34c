package dev.gantry.engine;

import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.hub.HubFile;
import dev.gantry.hub.HubSnapshot;
import dev.gantry.hub.ModelCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers the cluster about this node's model cache ({@code Addresses.modelFiles}): lists its files, and
 * deletes one unless a replica placed here uses it or it is being downloaded (409).
 */
final class ModelFileService {

  private final Vertx vertx;
  private final ModelCache cache;
  private final LiveInstances instances;
  private final LiveModels models;
  private final String nodeName;

  ModelFileService(Vertx vertx, ModelCache cache, LiveInstances instances, LiveModels models, String nodeName) {
    this.vertx = vertx;
    this.cache = cache;
    this.instances = instances;
    this.models = models;
    this.nodeName = nodeName;
  }

  void answer(Message<JsonObject> message) {
    JsonObject request = message.body();
    Future<JsonObject> reply = "delete".equals(request.getString("op"))
        ? delete(request.getString("relative_path", ""))
        : vertx.executeBlocking(() -> new JsonObject().put("items", new JsonArray(cache.list().stream()
            .map(item -> item.put("node_name", nodeName)).toList())), false);
    reply.onSuccess(message::reply).onFailure(e -> message.fail(e instanceof InUse ? 409
        : e instanceof NotCached ? 404 : 500, e.getMessage()));
  }

  private Future<JsonObject> delete(String relative) {
    return usersHere().compose(users -> vertx.executeBlocking(() -> {
      Path file = cachedFile(relative);
      String key = cache.layout().root().relativize(file).toString().replace('\\', '/');
      String plain = key.endsWith(".part") ? key.substring(0, key.length() - 5) : key;
      if (users.containsKey(plain)) {
        throw new InUse("the file is used by " + String.join(", ", users.get(plain)) + " on " + nodeName
            + "; scale those to 0 or delete them first");
      }
      if (cache.downloading(plain)) {
        throw new InUse("the file is being downloaded on " + nodeName);
      }
      if (!cache.delete(key)) {
        throw new NotCached("no cached file " + key + " on " + nodeName);
      }
      return new JsonObject().put("deleted", true);
    }, false));
  }

  /**
   * The cached file a delete names: a path that leaves the cache (absolute, {@code ..}) or names no file (the
   * cache itself, a folder) is no cached file, a 404, never something to delete.
   */
  private Path cachedFile(String relative) {
    try {
      Path file = cache.layout().inside(cache.layout().root().resolve(relative));
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return file;
      }
    } catch (IllegalArgumentException e) {
      // outside the cache: answered below like a file that is not there
    }
    throw new NotCached("no cached file " + relative + " on " + nodeName);
  }

  /** Cache paths (relative) of the files each replica placed here uses: path → model names. */
  private Future<Map<String, Set<String>>> usersHere() {
    return Future.all(instances.all(), models.all()).map(state -> {
      Map<String, JsonObject> byName = new HashMap<>();
      state.<List<JsonObject>>resultAt(1).forEach(m -> byName.put(m.getString("name"), m));
      Map<String, Set<String>> users = new HashMap<>();
      for (ModelInstance instance : state.<List<ModelInstance>>resultAt(0)) {
        JsonObject model = byName.get(instance.modelName());
        if ((instance.on(nodeName) || PartsOnNode.hasPartOn(instance, nodeName)) && instance.state().wantsEngine() && model != null && ModelDownloads.needed(model)) {
          HubSnapshot snapshot = HubSnapshot.fromJson(model.getJsonObject("resolved"));
          for (HubFile file : snapshot.files()) {
            String key = cache.layout().root().relativize(cache.layout().file(snapshot, file)).toString().replace('\\', '/');
            users.computeIfAbsent(key, k -> new HashSet<>()).add(instance.modelName());
          }
        }
      }
      return users;
    });
  }

  private static final class InUse extends RuntimeException {
    InUse(String message) {
      super(message);
    }
  }

  private static final class NotCached extends RuntimeException {
    NotCached(String message) {
      super(message);
    }
  }
}
