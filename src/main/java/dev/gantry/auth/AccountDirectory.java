package dev.gantry.auth;

import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.LocalMirror;
import dev.gantry.cluster.SharedMap;
import dev.gantry.cluster.SharedMaps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The cluster-wide read model of users and API keys (Hazelcast maps), so that authentication
 * never waits for PostgreSQL and a revoked key stops working on every node at once.
 */
public final class AccountDirectory {

  private final SharedMap users;
  private final SharedMap keys;
  private final SharedMap groups;
  private final LocalMirror<JsonObject> groupMirror;
  private final Entitlements entitlements;

  public AccountDirectory(SharedMaps maps) {
    this.users = maps.map(ClusterMaps.USERS);
    this.keys = maps.map(ClusterMaps.API_KEYS);
    this.groups = maps.map(ClusterMaps.GROUPS);
    Entitlements[] resolver = new Entitlements[1];
    this.groupMirror = groups.mirror(JsonObject::new, () -> {
      if (resolver[0] != null) {
        resolver[0].invalidate();
      }
    });
    this.entitlements = new Entitlements(groupMirror);
    resolver[0] = entitlements;
  }

  /** Who may call which names under which limits, resolved from these maps. */
  public Entitlements entitlements() {
    return entitlements;
  }

  /** Groups by id, to follow. */
  public SharedMap groupsMap() {
    return groups;
  }

  /** Every group, as this node's mirror has it. */
  public java.util.Collection<JsonObject> groups() {
    return groupMirror.values();
  }

  /**
   * Loads the groups from the database and starts following users, keys and groups so that a change to
   * any clears the resolved entitlements (every node does it at start).
   */
  public Future<Void> loadGroups(io.vertx.core.Vertx vertx, PgGroupStore store) {
    return store.list().compose(all -> Future.all(all.stream().map(this::putGroup).toList()))
        .compose(v -> vertx.executeBlocking(() -> {
          groupMirror.startBlocking();
          users.listenBlocking(change -> entitlements.invalidate());
          keys.listenBlocking(change -> entitlements.invalidate());
          return null;
        }))
        .mapEmpty();
  }

  public Future<Void> putGroup(JsonObject group) {
    return changed(groups.set(String.valueOf(group.getLong("id")), group.encode()));
  }

  public Future<Void> removeGroup(long id) {
    return changed(groups.remove(String.valueOf(id)).mapEmpty());
  }

  /** Users by id, to follow (revocations end streams; the bootstrap password file goes once it changed). */
  public SharedMap usersMap() {
    return users;
  }

  /** Key records by public id, to follow. */
  public SharedMap keysMap() {
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
    return changed(users.set(String.valueOf(user.getLong("id")), user.encode()));
  }

  public Future<Void> removeUser(long id, List<String> keyIds) {
    return Future.all(keyIds.stream().map(this::removeKey).toList())
        .compose(v -> changed(users.remove(String.valueOf(id)).mapEmpty()));
  }

  public Future<JsonObject> user(long id) {
    return users.get(String.valueOf(id)).map(s -> s == null ? null : new JsonObject(s));
  }

  public Future<Void> putKey(JsonObject key) {
    return changed(keys.set(key.getString("id"), key.encode()));
  }

  public Future<Void> removeKey(String id) {
    return changed(keys.remove(id).mapEmpty());
  }

  /**
   * A change made on this node clears this node's resolved entitlements and verified keys as soon as the
   * map has it, before the caller answers (the other nodes clear theirs when the change event reaches
   * them), so a key revoked here is refused here by the very next request.
   */
  private <T> Future<T> changed(Future<T> write) {
    return write.andThen(done -> entitlements.invalidate());
  }

  public Future<JsonObject> key(String id) {
    return keys.get(id).map(s -> s == null ? null : new JsonObject(s));
  }
}
