package dev.gantry.tuning;

import dev.gantry.auth.AccountDirectory;
import dev.gantry.auth.ApiKeySecrets;
import dev.gantry.auth.PgApiKeyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * The API key a tuning run calls this node's management API with (scope management, owned by the admin who
 * started the run, named {@code tuning-<run id>}): made when the run starts, deleted when it ends, or by the
 * leader when the run's node left the cluster. A seam of its own so that a test can make its creation fail.
 */
interface RunKeys {

  /** A key made for a run: its public id and the full value to send as a bearer token. */
  record Made(String id, String value) {
  }

  /** Makes the key of run {@code runId}, usable on every node; on failure, nothing of it remains. */
  Future<Made> create(long userId, String runId, OffsetDateTime expiresAt);

  /** Deletes a key made by {@link #create}; one already gone is no error. */
  Future<Void> delete(String keyId);

  /** Deletes the key of run {@code runId}, found by its name, when the node that made it is gone. */
  Future<Void> deleteOf(String runId);

  static String name(String runId) {
    return "tuning-" + runId;
  }

  static RunKeys of(PgApiKeyStore keys, AccountDirectory directory) {
    return new RunKeys() {
      @Override
      public Future<Made> create(long userId, String runId, OffsetDateTime expiresAt) {
        ApiKeySecrets.Generated generated = ApiKeySecrets.generate();
        JsonObject key = new JsonObject().put("id", generated.publicId()).put("name", name(runId))
            .put("description", "made by tuning run " + runId + " to deploy and benchmark its candidates; deleted when it ends")
            .put("scope", "management");
        return keys.create(userId, key, ApiKeySecrets.hash(generated.secret()), ApiKeySecrets.hint(generated.secret()), expiresAt)
            .compose(saved -> directory.putKey(saved)
                .recover(e -> delete(generated.publicId()).transform(d -> Future.<Void>failedFuture(e))))
            .map(v -> new Made(generated.publicId(), generated.value()));
      }

      @Override
      public Future<Void> delete(String keyId) {
        return keys.delete(keyId).compose(d -> directory.removeKey(keyId));
      }

      @Override
      public Future<Void> deleteOf(String runId) {
        return keys.list().compose(all -> Future.join(all.stream().filter(k -> name(runId).equals(k.getString("name")))
            .map(k -> delete(k.getString("id"))).toList())).mapEmpty();
      }
    };
  }
}
