package dev.gantry.tuning;

import dev.gantry.catalog.PgMeasuredSpecStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one "find the best spec" run, one candidate at a time: deploy it as a temporary model, wait until
 * its replicas run, benchmark it through the gateway, keep its figures, delete the model (always, and wait
 * until its replicas are gone so the next candidate has the hardware to itself). Then the best candidate
 * ({@link CandidateScore}) is recorded as a measured catalog spec for the hardware it ran on. Every step is
 * stored and published, and a cancel asked on any node is seen within a second.
 */
final class TuningRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TuningRunner.class);
  private static final long POLL_MS = 1_000;
  private static final long CLEANUP_SECONDS = 120;

  /** The run was cancelled while this step waited. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  private final Vertx vertx;
  private final PgTuningStore store;
  private final PgMeasuredSpecStore measured;
  private final SelfApi api;
  private final Consumer<JsonObject> publish;
  private final JsonObject run;
  private final JsonArray candidates;
  private final JsonObject progress;
  /** The model form's hub token (null: none), added to each candidate's deploy only: never stored in the run. */
  private final String hubToken;
  private boolean cancelled;

  TuningRunner(Vertx vertx, PgTuningStore store, PgMeasuredSpecStore measured, SelfApi api, Consumer<JsonObject> publish,
      JsonObject run, String hubToken) {
    this.hubToken = hubToken;
    this.vertx = vertx;
    this.store = store;
    this.measured = measured;
    this.api = api;
    this.publish = publish;
    this.run = run;
    this.candidates = run.getJsonArray("candidates").copy();
    this.progress = run.getJsonObject("progress").copy();
  }

  /** Completes with the ended run (completed, cancelled or failed); never fails. */
  Future<JsonObject> start() {
    return next(0).compose(v -> conclude())
        .recover(e -> finish("failed", "the run stopped: " + e.getMessage(), null));
  }

  private Future<Void> next(int index) {
    if (index >= candidates.size()) {
      return Future.succeededFuture();
    }
    return cancelAsked().compose(stop -> {
      if (stop) {
        for (int i = index; i < candidates.size(); i++) {
          candidates.getJsonObject(i).put("state", "cancelled");
        }
        return Future.succeededFuture();
      }
      return candidate(index).compose(v -> next(index + 1));
    });
  }

  private Future<Void> candidate(int index) {
    JsonObject candidate = candidates.getJsonObject(index);
    String name = candidate.getString("model_name");
    JsonObject request = run.getJsonObject("request");
    JsonObject body = candidate.getJsonObject("model").copy().put("name", name);
    if (hubToken != null) {
      body.put("hub_token", hubToken);
    }
    int replicas = body.getInteger("replicas", 1);
    long deployDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.getInteger("deploy_timeout_seconds", 600));
    return step(index, "deploying")
        .compose(v -> api.post("/v2/models", body, 201))
        .compose(v -> step(index, "waiting for replicas"))
        .compose(v -> poll("its " + replicas + " replica(s) to run", deployDeadline, () -> running(name, replicas)))
        .compose(v -> step(index, "benchmarking"))
        .compose(v -> api.post("/v2/benchmarks", new JsonObject().put("model", name)
            .put("profile", request.getJsonObject("profile")).put("sla", request.getValue("sla")), 202))
        .compose(bench -> {
          candidate.put("benchmark", bench.getString("id"));
          return poll("its benchmark to end", Long.MAX_VALUE, () -> ended(bench.getString("id")));
        })
        .map(bench -> {
          if (!"completed".equals(bench.getString("state"))) {
            throw new IllegalStateException("its benchmark ended " + bench.getString("state")
                + (bench.getString("message") == null ? "" : ": " + bench.getString("message")));
          }
          candidate.put("state", "measured").put("figures", CandidateScore.figures(bench.getJsonObject("results")))
              .put("hardware", bench.getJsonObject("hardware"));
          return (Void) null;
        })
        .recover(e -> {
          candidate.put("state", e instanceof Cancelled ? "cancelled" : "failed");
          if (!(e instanceof Cancelled)) {
            candidate.put("message", e.getMessage());
          }
          return Future.succeededFuture();
        })
        .compose(v -> step(index, "cleaning up"))
        .compose(v -> cleanUp(name))
        .recover(e -> {
          LOG.warn("tuning run {}: temporary model {} may remain: {}", run.getString("id"), name, e.getMessage());
          candidate.put("cleanup", "the temporary model may remain (" + e.getMessage() + "); delete it with DELETE /v2/models/" + name);
          return Future.succeededFuture();
        });
  }

  /** Null while not all replicas run; fails when one is in error or the run was cancelled. */
  private Future<Boolean> running(String model, int replicas) {
    return api.get("/v2/model-instances?model_name=" + model).map(page -> {
      if (cancelled) {
        throw new Cancelled();
      }
      List<JsonObject> items = page.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
      for (JsonObject item : items) {
        if ("error".equals(item.getString("state"))) {
          throw new IllegalStateException("a replica failed on " + item.getString("node_name") + ": " + item.getString("state_message"));
        }
      }
      return items.stream().filter(i -> "running".equals(i.getString("state"))).count() >= replicas ? true : null;
    });
  }

  /** The benchmark once it ended, else null; a cancel of the run cancels the benchmark (it keeps what it measured). */
  private Future<JsonObject> ended(String benchmark) {
    return api.get("/v2/benchmarks/" + benchmark).compose(bench -> {
      if (List.of("completed", "cancelled", "failed").contains(bench.getString("state"))) {
        return cancelled ? Future.failedFuture(new Cancelled()) : Future.succeededFuture(bench);
      }
      return cancelled && "running".equals(bench.getString("state"))
          ? api.delete("/v2/benchmarks/" + benchmark).map((JsonObject) null) : Future.succeededFuture(null);
    });
  }

  private Future<Void> cleanUp(String model) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLEANUP_SECONDS);
    return api.delete("/v2/models/" + model)
        .compose(v -> poll("its replicas to stop", deadline, () -> api.get("/v2/model-instances?model_name=" + model)
            .map(page -> page.getJsonArray("items").isEmpty() ? true : null)))
        .mapEmpty();
  }

  private Future<JsonObject> conclude() {
    int winner = CandidateScore.winner(candidates.stream().map(JsonObject.class::cast).toList());
    int measuredCount = (int) candidates.stream().map(JsonObject.class::cast).filter(c -> c.containsKey("figures")).count();
    if (cancelled) {
      return finish("cancelled", "cancelled after " + measuredCount + " of " + candidates.size()
          + " candidates were measured; nothing was recorded", null);
    }
    if (winner < 0) {
      String why = candidates.stream().map(JsonObject.class::cast).map(c -> c.getString("message")).filter(m -> m != null)
          .findFirst().orElse("every request failed");
      return finish("failed", "no candidate could be measured; the first failure: " + why, null);
    }
    JsonObject best = candidates.getJsonObject(winner).put("winner", true);
    JsonObject spec = MeasuredSpec.of(run, best);
    JsonObject figures = best.getJsonObject("figures").copy().put("values", best.getJsonObject("values"))
        .put("candidates", candidates.size()).put("sla", run.getJsonObject("request").getValue("sla"))
        .put("profile", run.getJsonObject("request").getJsonObject("profile"));
    return measured.record(run.getString("family"), spec, figures, run.getString("id")).compose(recorded -> {
      progress.put("measured_spec", new JsonObject().put("family", run.getString("family")).put("id", recorded.id()));
      return finish("completed", "candidate " + (winner + 1) + " of " + candidates.size() + " won ("
          + MeasuredSpec.shownValues(best.getJsonObject("values")) + "); recorded as catalog spec " + recorded.id(), winner);
    });
  }

  private Future<JsonObject> finish(String state, String message, Integer winner) {
    progress.put("step", "done");
    return store.finish(run.getString("id"), state, message, progress, candidates, winner)
        .onSuccess(publish::accept)
        .onFailure(e -> LOG.warn("tuning run {}: its end could not be stored: {}", run.getString("id"), e.getMessage()));
  }

  /** Records and publishes the step the run is at (candidate {@code index + 1} of n). */
  private Future<Void> step(int index, String step) {
    candidates.getJsonObject(index).put("state", switch (step) {
      case "deploying", "waiting for replicas" -> "deploying";
      case "benchmarking" -> "benchmarking";
      default -> candidates.getJsonObject(index).getString("state");
    });
    progress.put("candidate", index + 1).put("total", candidates.size()).put("step", step);
    return store.update(run.getString("id"), progress, candidates).onSuccess(publish::accept).mapEmpty();
  }

  /** True once a cancel was asked, or the run ended elsewhere (the leader failed it: this node was thought gone). */
  private Future<Boolean> cancelAsked() {
    return store.state(run.getString("id")).map(state -> {
      cancelled |= !"running".equals(state);
      return cancelled;
    });
  }

  /** Asks {@code attempt} once a second (checking for a cancel too) until it answers non-null, fails, or time is up. */
  private <T> Future<T> poll(String what, long deadlineNanos, Supplier<Future<T>> attempt) {
    Promise<T> result = Promise.promise();
    tick(what, deadlineNanos, attempt, result);
    return result.future();
  }

  private <T> void tick(String what, long deadlineNanos, Supplier<Future<T>> attempt, Promise<T> result) {
    cancelAsked().compose(c -> attempt.get()).onComplete(outcome -> {
      if (outcome.failed()) {
        result.fail(outcome.cause());
      } else if (outcome.result() != null) {
        result.complete(outcome.result());
      } else if (System.nanoTime() > deadlineNanos) {
        result.fail(new IllegalStateException("gave up waiting for " + what));
      } else {
        vertx.setTimer(POLL_MS, t -> tick(what, deadlineNanos, attempt, result));
      }
    });
  }
}
