package dev.gantry.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide read model of users and API keys (Hazelcast maps), so that authentication
 * never waits for PostgreSQL and a revoked key stops working on every node at once.
 */
public final class AccountDirectory {

  private final Vertx vertx;
  private final IMap<String, String> users;
  private final IMap<String, String> keys;

  public AccountDirectory(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.users = hazelcast.getMap(ClusterMaps.USERS);
    this.keys = hazelcast.getMap(ClusterMaps.API_KEYS);
  }

  public IMap<String, String> usersMap() {
    return users;
  }

  public IMap<String, String> keysMap() {
    return keys;
  }

  /** Loads everything from the database (idempotent; every node does it at start). */
  public Future<Void> load(PgUserStore userStore, PgApiKeyStore keyStore) {
    return userStore.list().compose(all -> Future.all(all.stream().map(this::putUser).toList()))
        .compose(v -> keyStore.list())
        .compose(all -> Future.all(all.stream().map(this::putKey).toList()))
        .mapEmpty();
  }

  public Future<Void> putUser(JsonObject user) {
    return await(users.setAsync(String.valueOf(user.getLong("id")), user.encode()));
  }

  public Future<Void> removeUser(long id, List<String> keyIds) {
    return Future.all(keyIds.stream().map(this::removeKey).toList())
        .compose(v -> await(users.removeAsync(String.valueOf(id)))).mapEmpty();
  }

  public Future<JsonObject> user(long id) {
    return await(users.getAsync(String.valueOf(id))).map(s -> s == null ? null : new JsonObject(s));
  }

  public Future<Void> putKey(JsonObject key) {
    return await(keys.setAsync(key.getString("id"), key.encode()));
  }

  public Future<Void> removeKey(String id) {
    return await(keys.removeAsync(id)).mapEmpty();
  }

  public Future<JsonObject> key(String id) {
    return await(keys.getAsync(id)).map(s -> s == null ? null : new JsonObject(s));
  }

  /** A read the near cache answered is already complete: take it in place instead of a trip through two threads. */
  private <T> Future<T> await(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (future.isDone() && !future.isCompletedExceptionally() && !future.isCancelled()) {
      return Future.succeededFuture(future.join());
    }
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
