package dev.gantry.auth;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import dev.gantry.api.CallerStreams;
import dev.gantry.api.CallerStreams.Kind;
import dev.gantry.cluster.MapEvents;
import dev.gantry.common.RetryLater;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's open watch streams and log follows, by caller, ended the moment the caller's access ends
 * anywhere in the cluster: every node listens to {@code gantry.users}, {@code gantry.api-keys} and
 * {@code gantry.sessions}, so a logout, deactivation, demotion, deletion, password change, "sign out
 * everywhere" or key revocation made on another node reaches this node's streams within the map event's
 * delivery (milliseconds). Also caps the streams one user may hold open on this node.
 */
public final class LiveStreams {

  /** Watch streams one user may hold open on one node (a console tab holds one or two). */
  public static final int MAX_WATCHES_PER_USER = 32;
  /** Log follows one user may hold open on one node. */
  public static final int MAX_LOG_FOLLOWS_PER_USER = 8;
  private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

  /** One open stream and the credentials it was opened with. */
  private record Entry(Principal caller, ClusterSessions.Session session, Kind kind, Runnable end) {
  }

  private final Set<Entry> open = ConcurrentHashMap.newKeySet();
  private final IMap<String, String> users;
  private final IMap<String, String> keys;
  private final IMap<String, String> sessions;

  public LiveStreams(IMap<String, String> users, IMap<String, String> keys, IMap<String, String> sessions) {
    this.users = users;
    this.keys = keys;
    this.sessions = sessions;
    MapEvents.listen(users, (type, user) -> userChanged(type, user));
    MapEvents.listen(keys, (type, key) -> {
      if ("DELETED".equals(type)) {
        endWhere(e -> key.getString("id").equals(e.caller().keyId()), "api key revoked");
      }
    });
    sessions.addEntryListener(new SessionEnded(), false);
  }

  /** The streams of one caller, to put on its request. */
  public CallerStreams of(Principal caller, ClusterSessions.Session session) {
    return (kind, end) -> {
      int max = kind == Kind.WATCH ? MAX_WATCHES_PER_USER : MAX_LOG_FOLLOWS_PER_USER;
      synchronized (this) {
        long held = open.stream().filter(e -> e.kind() == kind && e.caller().userId() == caller.userId()).count();
        if (held >= max) {
          throw RetryLater.tooManyRequests("you already have " + held + " open "
              + (kind == Kind.WATCH ? "watch streams" : "log follows") + " on this node (at most " + max
              + "); close one and try again", 5);
        }
        Entry entry = new Entry(caller, session, kind, end);
        open.add(entry);
        recheck(entry);
        return () -> open.remove(entry);
      }
    };
  }

  /**
   * Registered first, checked second: a revocation whose event arrived between the request's
   * authentication and the registration is caught here, any later one by the listeners.
   */
  private void recheck(Entry entry) {
    users.getAsync(String.valueOf(entry.caller().userId())).thenAccept(user -> {
      if (user == null || revokedBy(entry, new JsonObject(user))) {
        end(entry, "access ended before the stream opened");
      }
    });
    if (entry.caller().keyId() != null) {
      keys.getAsync(entry.caller().keyId()).thenAccept(key -> {
        if (key == null) {
          end(entry, "api key revoked before the stream opened");
        }
      });
    }
    if (entry.session() != null) {
      sessions.getAsync(entry.session().hash()).thenAccept(stored -> {
        if (stored == null) {
          end(entry, "session ended before the stream opened");
        }
      });
    }
  }

  public int openCount() {
    return open.size();
  }

  private void userChanged(String type, JsonObject user) {
    long id = user.getLong("id");
    if ("DELETED".equals(type)) {
      endWhere(e -> e.caller().userId() == id, "user deleted");
      return;
    }
    endWhere(e -> e.caller().userId() == id && revokedBy(e, user), "user changed");
  }

  /** Deactivated, role changed, or (for a session) signed out everywhere since the session was issued. */
  private static boolean revokedBy(Entry entry, JsonObject user) {
    return !user.getBoolean("active", false) || !entry.caller().role().equals(user.getString("role"))
        || (entry.session() != null && entry.session().issuedAt() < Authenticator.sessionsValidAfter(user));
  }

  private void endWhere(Predicate<Entry> affected, String why) {
    for (Entry entry : open) {
      if (affected.test(entry)) {
        end(entry, why);
      }
    }
  }

  private void end(Entry entry, String why) {
    if (open.remove(entry)) {
      LOG.info("ending a stream [user: {}] [kind: {}] [why: {}]", entry.caller().username(), entry.kind(), why);
      entry.end().run();
    }
  }

  private final class SessionEnded implements EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String>, EntryExpiredListener<String, String> {

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      ended(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      ended(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      ended(event.getKey());
    }

    private void ended(String hash) {
      endWhere(e -> e.session() != null && hash.equals(e.session().hash()), "session ended");
    }
  }
}
