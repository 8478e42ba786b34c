package dev.gantry.pool;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * What a worker pool needs from a cloud: create a tagged instance that boots from user-data, look one up,
 * list those carrying tags, delete one. Implementations speak the cloud's real wire format (an official
 * SDK, or plain HTTP where there is none) and fail with a {@link CloudException} whose kind the reconciler
 * acts on (capacity → try the next instance type, throttled → back off). Every call is bounded in time.
 */
public interface CloudProvider {

  /**
   * Creates one instance. {@code idempotencyKey} makes a retried create return the instance of the first
   * attempt where the cloud supports it (EC2 {@code ClientToken}, ECS {@code ClientToken}); DigitalOcean has
   * none, so there the reconciler relies on listing by tags before it creates again.
   */
  Future<CloudInstance> create(InstanceSpec spec, String idempotencyKey);

  /** The instance, or null when the cloud does not know it (deleted, or never created). */
  Future<CloudInstance> get(String id);

  /** Every live instance that carries all of {@code tags} (following the cloud's pagination). */
  Future<List<CloudInstance>> listByTags(Map<String, String> tags);

  /** Deletes the instance; one that is already gone counts as deleted. */
  Future<Void> delete(String id);

  /** Lets go of what the client holds (an SDK's connections); nothing for a plain HTTP client. */
  default void close() {
  }
}
