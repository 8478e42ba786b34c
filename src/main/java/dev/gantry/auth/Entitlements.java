package dev.gantry.auth;

import dev.gantry.cluster.LocalMirror;
import dev.gantry.limits.Limits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves and caches each user's and key's {@link Entitlement} from cluster state (users, keys and the
 * groups mirror), so the request path does a hash lookup. Any change to a user, a key or a group clears
 * the cache on every node (each follows the maps).
 *
 * <p>Which names a user may call: an admin, everything; a user in no group whose own
 * {@code allowed_models} is null, everything (as before groups existed); otherwise the union of its own
 * {@code allowed_models} and its groups' ({@code *} in any: everything). A key then narrows it with its
 * own {@code allowed_models} ({@link Principal#mayInfer}).
 */
public final class Entitlements {

  private final LocalMirror<JsonObject> groups;
  private final Map<String, Entitlement> cache = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final KeyPrincipals keyPrincipals = new KeyPrincipals();

  public Entitlements(LocalMirror<JsonObject> groups) {
    this.groups = groups;
  }

  /** Forgets every resolved entitlement (a user, key or group changed). */
  public void invalidate() {
    keyPrincipals.clear();
    generation.incrementAndGet();
    cache.clear();
  }

  /** The API-key callers this node verified, cleared with the entitlements. */
  KeyPrincipals keyPrincipals() {
    return keyPrincipals;
  }

  /** The entitlement of a signed-in user, or of a key's owner with the key's own limits ({@code key} may be null). */
  public Entitlement of(JsonObject user, JsonObject key) {
    String cacheKey = key == null ? "u:" + user.getLong("id") : "k:" + key.getString("id");
    Entitlement known = cache.get(cacheKey);
    if (known != null) {
      return known;
    }
    long before = generation.get();
    Entitlement resolved = resolve(user, key);
    if (generation.get() == before) {
      cache.put(cacheKey, resolved);
    }
    return resolved;
  }

  /** The groups {@code userId} belongs to. */
  public List<JsonObject> groupsOf(long userId) {
    List<JsonObject> mine = new ArrayList<>();
    for (JsonObject group : groups.values()) {
      JsonArray members = group.getJsonArray("members");
      if (members != null && members.stream().anyMatch(m -> m instanceof Number n && n.longValue() == userId)) {
        mine.add(group);
      }
    }
    return mine;
  }

  private Entitlement resolve(JsonObject user, JsonObject key) {
    long userId = user.getLong("id");
    List<JsonObject> memberOf = groupsOf(userId);
    List<Entitlement.Subject> subjects = new ArrayList<>();
    if (key != null) {
      add(subjects, "k:" + key.getString("id"), "API key '" + key.getString("name") + "'", key.getJsonObject("limits"));
    }
    add(subjects, "u:" + userId, "user '" + user.getString("username") + "'", user.getJsonObject("limits"));
    for (JsonObject group : memberOf) {
      add(subjects, "g:" + group.getLong("id"), "group '" + group.getString("name") + "'", group.getJsonObject("limits"));
    }
    return new Entitlement(names(user, memberOf), List.copyOf(subjects));
  }

  private static Set<String> names(JsonObject user, List<JsonObject> memberOf) {
    JsonArray own = user.getJsonArray("allowed_models");
    if (Principal.ADMIN.equals(user.getString("role")) || (own == null && memberOf.isEmpty())) {
      return null;
    }
    Set<String> names = new HashSet<>();
    List<JsonArray> grants = new ArrayList<>();
    if (own != null) {
      grants.add(own);
    }
    memberOf.forEach(group -> grants.add(group.getJsonArray("allowed_models", new JsonArray())));
    for (JsonArray grant : grants) {
      for (Object name : grant) {
        if ("*".equals(name)) {
          return null;
        }
        names.add(String.valueOf(name));
      }
    }
    return Set.copyOf(names);
  }

  private static void add(List<Entitlement.Subject> subjects, String id, String name, JsonObject limits) {
    Limits parsed = Limits.of(limits);
    if (parsed.hasRates() || parsed.hasQuotas()) {
      subjects.add(new Entitlement.Subject(id, name, parsed));
    }
  }
}
