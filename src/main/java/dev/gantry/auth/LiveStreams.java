package dev.gantry.auth;

import dev.gantry.api.CallerStreams;
import dev.gantry.api.CallerStreams.Kind;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.RetryLater;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
  /** Ends streams whose key expires; one daemon thread for the JVM (a task is cheap, and a no-op once the stream ended). */
  private static final ScheduledExecutorService EXPIRY = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "gantry-stream-expiry");
    thread.setDaemon(true);
    return thread;
  });

  /** One open stream and the credentials it was opened with. */
  private record Entry(Principal caller, ClusterSessions.Session session, Kind kind, Runnable end) {
  }

  private final Set<Entry> open = ConcurrentHashMap.newKeySet();
  /** The pending end of each open stream whose key expires; cancelled when the stream ends first. */
  private final Map<Entry, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
  private final SharedMap users;
  private final SharedMap keys;
  private final SharedMap sessions;

  /** Follows the three maps; blocking (registers listeners): build it at start, off the event loops. */
  public LiveStreams(SharedMap users, SharedMap keys, SharedMap sessions) {
    this.users = users;
    this.keys = keys;
    this.sessions = sessions;
    users.listenBlocking(change -> userChanged(change.type(), new JsonObject(change.value())));
    keys.listenBlocking(change -> {
      if (change.type() == SharedMap.ChangeType.DELETED) {
        endWhere(e -> change.key().equals(e.caller().keyId()), "api key revoked");
      }
    });
    sessions.listenBlocking(change -> {
      if (change.type() == SharedMap.ChangeType.DELETED) {
        endWhere(e -> e.session() != null && change.key().equals(e.session().hash()), "session ended");
      }
    });
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
        return () -> forget(entry);
      }
    };
  }

  /**
   * Registered first, checked second: a revocation whose event arrived between the request's
   * authentication and the registration is caught here, any later one by the listeners.
   */
  private void recheck(Entry entry) {
    users.get(String.valueOf(entry.caller().userId())).onSuccess(user -> {
      if (user == null || revokedBy(entry, new JsonObject(user))) {
        end(entry, "access ended before the stream opened");
      }
    });
    if (entry.caller().keyId() != null) {
      keys.get(entry.caller().keyId()).onSuccess(key -> {
        if (key == null) {
          end(entry, "api key revoked before the stream opened");
        } else {
          endAtExpiry(entry, new JsonObject(key).getString("expires_at"));
        }
      });
    }
    if (entry.session() != null) {
      sessions.get(entry.session().hash()).onSuccess(stored -> {
        if (stored == null) {
          end(entry, "session ended before the stream opened");
        }
      });
    }
  }

  public int openCount() {
    return open.size();
  }

  private void userChanged(SharedMap.ChangeType type, JsonObject user) {
    long id = user.getLong("id");
    if (type == SharedMap.ChangeType.DELETED) {
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

  /** A stream opened with a key that expires ends when the key does. */
  private void endAtExpiry(Entry entry, String expiresAt) {
    if (expiresAt == null) {
      return;
    }
    long delay = Math.max(0, Instant.parse(expiresAt).toEpochMilli() - System.currentTimeMillis());
    expiries.put(entry, EXPIRY.schedule(() -> end(entry, "api key expired"), delay, TimeUnit.MILLISECONDS));
    if (!open.contains(entry)) {
      cancelExpiry(entry);  // the stream ended while its key was read
    }
  }

  /** The stream closed on its own. */
  private void forget(Entry entry) {
    open.remove(entry);
    cancelExpiry(entry);
  }

  private void cancelExpiry(Entry entry) {
    ScheduledFuture<?> pending = expiries.remove(entry);
    if (pending != null) {
      pending.cancel(false);
    }
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
      cancelExpiry(entry);
      LOG.info("ending a stream [user: {}] [kind: {}] [why: {}]", entry.caller().username(), entry.kind(), why);
      entry.end().run();
    }
  }
}
