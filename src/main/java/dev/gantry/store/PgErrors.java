package dev.gantry.store;

import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;

/** Translates database failures at the store boundary into API errors. */
public final class PgErrors {

  public static final String UNIQUE_VIOLATION = "23505";

  /** {@code recover} function for store futures: a lost database is a 503, a duplicate a 409. */
  public static <T> Future<T> translate(Throwable error, String conflictMessage) {
    if (error instanceof ApiException) {
      return Future.failedFuture(error);
    }
    if (error instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return Future.failedFuture(ApiException.conflict(conflictMessage));
    }
    if (error instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
      return Future.failedFuture(ApiException.badRequest("invalid value: " + pg.getErrorMessage()));
    }
    return Future.failedFuture(unavailable(error));
  }

  public static ApiException unavailable(Throwable error) {
    String detail = error instanceof ConnectException || error.getCause() instanceof ConnectException
        ? "connection refused" : String.valueOf(error.getMessage());
    return ApiException.unavailable("the database is unreachable (" + detail + "); retry in a moment");
  }

  private PgErrors() {
  }
}
