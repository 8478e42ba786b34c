package dev.gantry.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.auth.Principal;
import dev.gantry.catalog.Catalog;
import dev.gantry.catalog.PgMeasuredSpecStore;
import dev.gantry.common.ApiException;
import dev.gantry.common.Ids;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.store.Migrations;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How a tuning run starts, on one database without a cluster: the database keeps one run at a time, a run whose
 * key cannot be made ends failed at once, and a spec the catalog measured earlier is a base like a curated one.
 * The runs here call a port nobody listens on, so their candidates fail fast.
 */
@DisplayName("Tuning runs start one at a time, end failed when they cannot start, and may start from a measured spec")
class TuningRunStartTest {

  private static final Duration END = Duration.ofSeconds(30);
  private static final JsonObject TINY_CHAT = new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat")
      .put("backend", "builtin");
  private static final Principal ADMIN = Principal.session(1, "admin", "admin");

  private Vertx vertx;
  private Pool pool;
  private PgTuningStore store;
  private PgMeasuredSpecStore measured;
  private final List<String> keysMade = new CopyOnWriteArrayList<>();
  private final List<String> keysDeleted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    DatabaseUrl url = DatabaseUrl.parse(TestPostgres.shared().newDatabase("tuning_start"));
    Migrations.apply(vertx, url).await();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(url.connectOptions()).using(vertx).build();
    store = new PgTuningStore(pool);
    measured = new PgMeasuredSpecStore(pool);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("two runs inserted at the same instant: the database lets one run and refuses the other with 409 naming it")
  void theDatabaseKeepsOneRunningRun() {
    JsonObject first = row("tune-first");
    JsonObject second = row("tune-second");
    List<Future<JsonObject>> both = List.of(store.insert(first), store.insert(second));
    Future.join(both).otherwiseEmpty().await();

    List<Future<JsonObject>> won = both.stream().filter(Future::succeeded).toList();
    List<Future<JsonObject>> lost = both.stream().filter(Future::failed).toList();
    assertThat(won).hasSize(1);
    assertThat(lost).hasSize(1);
    String winner = won.get(0).result().getString("id");
    ApiException refused = (ApiException) lost.get(0).cause();
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.getMessage()).contains("tuning run " + winner + " is running");
    assertThat(store.active().await()).extracting(PgTuningStore.Active::id).containsExactly(winner);

    store.finish(winner, "failed", "ended by the test", new JsonObject(), new JsonArray(), null).await();
    assertThat(store.insert(row("tune-third")).await().getString("state")).as("once it ended, another may run")
        .isEqualTo("running");
  }

  @Test
  @DisplayName("once the leader ended a run, its node's later steps and end change nothing: a cut-off node cannot revive it")
  void anEndedRunIsNotRevivedByItsNode() {
    String id = store.insert(row("tune-cut-off")).await().getString("id");
    assertThat(store.failAbandoned(id, "node node-a left the cluster during candidate 1/2 (unreachable)").await()).isEmpty();

    store.update(id, new JsonObject().put("candidate", 2).put("step", "benchmarking"), new JsonArray()).await();
    JsonObject after = store.finish(id, "completed", "candidate 1 of 2 won", new JsonObject().put("step", "done"),
        new JsonArray(), 0).await();

    assertThat(after.getString("state")).isEqualTo("failed");
    assertThat(after.getString("message")).isEqualTo("node node-a left the cluster during candidate 1/2 (unreachable)");
    assertThat(after.getInteger("winner")).isNull();
    assertThat(after.getJsonObject("progress").getString("step")).isEqualTo("done");
    assertThat(store.failAbandoned(id, "again").await()).as("ended already: nothing to clean up twice").isNull();
    assertThat(store.active().await()).isEmpty();
  }

  @Test
  @DisplayName("a run whose API key cannot be made ends failed with the reason, and nothing of it keeps running")
  void aRunThatCannotMakeItsKeyEndsFailed() {
    TuningRuns runs = runs(failingKeys());

    JsonObject run = runs.start(ADMIN, new JsonObject().put("family", "no-key-" + Ids.random(4).toLowerCase())
        .put("model", TINY_CHAT).put("grid", new JsonObject().put("replicas", new JsonArray().add(1).add(2)))).await();

    assertThat(run.getString("state")).isEqualTo("failed");
    assertThat(run.getString("message")).isEqualTo("the run could not start: the key store refused it");
    assertThat(run.getString("finished_at")).isNotNull();
    assertThat(run.getJsonArray("candidates").stream().map(c -> ((JsonObject) c).getString("state")))
        .containsOnly("pending");
    assertThat(store.active().await()).isEmpty();
    assertThat(keysMade).isEmpty();
    assertThat(keysDeleted).as("its key, were any left, is looked for by name").contains(RunKeys.name(run.getString("id")));

    JsonObject next = runs(recordingKeys()).start(ADMIN, new JsonObject().put("family", "after-" + Ids.random(4).toLowerCase())
        .put("model", TINY_CHAT).put("grid", new JsonObject().put("replicas", new JsonArray().add(1)))).await();
    assertThat(next.getString("state")).as("the failed run does not block the next one").isEqualTo("running");
    awaitEnd(next.getString("id"));
  }

  @Test
  @DisplayName("a run starts from a spec the catalog measured earlier: its model, mode and grid are the base")
  void aMeasuredSpecIsABase() {
    String family = "measured-base-" + Ids.random(4).toLowerCase();
    JsonObject model = TINY_CHAT.copy().put("backend_parameters", new JsonArray().add("--token-delay-ms").add("0"));
    measured.record(family, new JsonObject().put("id", "measured-cpu").put("mode", "latency")
            .put("hardware", new JsonObject().put("vendor", "cpu")).put("model", model)
            .put("grid", new JsonObject().put("replicas", new JsonArray().add(1).add(2))),
        new JsonObject().put("output_token_throughput", 10.0), "tune-earlier").await();

    JsonObject run = runs(recordingKeys()).start(ADMIN, new JsonObject().put("family", family).put("spec", "measured-cpu"))
        .await();

    assertThat(run.getString("state")).isEqualTo("running");
    assertThat(run.getString("base_spec")).isEqualTo("measured-cpu");
    assertThat(run.getJsonObject("request").getJsonObject("model")).isEqualTo(model);
    assertThat(run.getJsonObject("request").getString("mode")).isEqualTo("latency");
    assertThat(run.getJsonArray("candidates").stream().map(c -> ((JsonObject) c).getJsonObject("model")))
        .containsExactly(model.copy().put("replicas", 1), model.copy().put("replicas", 2));
    assertThat(keysMade).containsExactly(run.getString("id"));
    awaitEnd(run.getString("id"));
    Eventually.await(END, () -> assertThat(keysDeleted).as("its key is deleted when it ends").hasSize(1));
  }

  @Test
  @DisplayName("a measured spec's id stays one per base and hardware when a run starts from a measured spec")
  void aRunFromAMeasuredSpecReplacesIt() {
    JsonObject cpu = new JsonObject().put("vendor", "cpu");
    assertThat(MeasuredHardware.specId("measured-cpu", cpu)).isEqualTo("measured-cpu");
    assertThat(MeasuredHardware.specId("measured-qwen-cpu", cpu)).isEqualTo("measured-qwen-cpu");
    assertThat(MeasuredHardware.specId("measured-qwen-cpu", new JsonObject().put("vendor", "nvidia").put("device_name", "L4")))
        .isEqualTo("measured-qwen-cpu-nvidia-l4");
  }

  private TuningRuns runs(RunKeys keys) {
    return new TuningRuns(vertx, store, measured, new Catalog(null), keys, "node-a", "127.0.0.1", Ports.free());
  }

  private void awaitEnd(String id) {
    Eventually.await(END, () -> assertThat(store.get(id).await().getString("state")).isEqualTo("failed"));
  }

  private RunKeys failingKeys() {
    return new RunKeys() {
      @Override
      public Future<Made> create(long userId, String runId, OffsetDateTime expiresAt) {
        return Future.failedFuture(new IllegalStateException("the key store refused it"));
      }

      @Override
      public Future<Void> delete(String keyId) {
        keysDeleted.add(keyId);
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> deleteOf(String runId) {
        keysDeleted.add(RunKeys.name(runId));
        return Future.succeededFuture();
      }
    };
  }

  private RunKeys recordingKeys() {
    return new RunKeys() {
      @Override
      public synchronized Future<Made> create(long userId, String runId, OffsetDateTime expiresAt) {
        keysMade.add(runId);
        return Future.succeededFuture(new Made("key-" + runId, "gk-test-" + runId));
      }

      @Override
      public synchronized Future<Void> delete(String keyId) {
        keysDeleted.add(keyId);
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> deleteOf(String runId) {
        return delete(RunKeys.name(runId));
      }
    };
  }

  private static JsonObject row(String id) {
    return new JsonObject().put("id", id).put("family", "f").put("request", new JsonObject())
        .put("progress", new JsonObject().put("candidate", 0)).put("candidates", new JsonArray()).put("node", "node-a")
        .put("created_by", 1L);
  }
}
