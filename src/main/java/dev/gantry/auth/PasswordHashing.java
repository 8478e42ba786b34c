package dev.gantry.auth;

import dev.gantry.common.RetryLater;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2 ({@link PasswordHasher}) on a bounded pool of its own: at most {@link #THREADS} hashes run at once
 * (each takes 19 MiB and tens of milliseconds of CPU) and at most {@link #QUEUE} wait; a request beyond
 * that is answered 503 with {@code Retry-After: 1} at once instead of joining a queue that grows without
 * end. Sign-ins cannot starve the worker pool that the rest of the node uses either.
 */
public final class PasswordHashing {

  public static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  public static final int QUEUE = 32;

  private final Vertx vertx;
  private final ThreadPoolExecutor pool;

  public PasswordHashing(Vertx vertx) {
    this(vertx, THREADS, QUEUE);
  }

  PasswordHashing(Vertx vertx, int threads, int queue) {
    this.vertx = vertx;
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), task -> {
      Thread thread = new Thread(task, "password-hashing-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.pool.allowCoreThreadTimeOut(true);
  }

  public Future<String> hash(String password) {
    return run(() -> PasswordHasher.hash(password));
  }

  /** Whether the password matches; a null hash (no such user) costs the same time and answers false. */
  public Future<Boolean> verify(String password, String hash) {
    return run(() -> PasswordHasher.verify(password, hash));
  }

  private <T> Future<T> run(Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      pool.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Exception e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(RetryLater.unavailable(
          "too many passwords are being checked on this node right now; try again in a second", 1));
    }
    return promise.future();
  }
}
