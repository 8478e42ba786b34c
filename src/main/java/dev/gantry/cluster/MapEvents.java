package dev.gantry.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Turns changes of a cluster map of JSON strings into {@code CREATED}/{@code UPDATED}/{@code DELETED}
 * callbacks. Every member that listens receives every change, whichever member made it.
 */
public final class MapEvents {

  public static UUID listen(IMap<String, String> map, BiConsumer<String, JsonObject> sink) {
    return map.addEntryListener(new Listener(sink), true);
  }

  private record Listener(BiConsumer<String, JsonObject> sink) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String>, EntryExpiredListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      sink.accept("CREATED", new JsonObject(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      sink.accept("UPDATED", new JsonObject(event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      gone(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      gone(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      gone(event);
    }

    private void gone(EntryEvent<String, String> event) {
      if (event.getOldValue() != null) {
        sink.accept("DELETED", new JsonObject(event.getOldValue()));
      }
    }
  }

  private MapEvents() {
  }
}
