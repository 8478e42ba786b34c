package dev.gantry.testing.fuzz;

import dev.gantry.testing.fuzz.RawHttp.Answer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every answer of the management API must satisfy: no 5xx, errors in the documented shape
 * {@code {"code","reason","message"}} with the status as code, and nothing that leaks the server's
 * insides (stack traces, Java class names).
 */
public final class ResponseOracle {

  private static final List<String> LEAKS = List.of("Exception", "at dev.gantry", "dev.gantry.", "io.vertx",
      "java.lang", "java.util", "com.hazelcast", "org.postgresql", "\tat ", "Caused by");

  /** The problem with this answer, if any. */
  public static Optional<String> problem(String path, Answer answer) {
    if (answer.status() >= 500) {
      return Optional.of("server error " + answer.status());
    }
    for (String leak : LEAKS) {
      if (answer.body().contains(leak)) {
        return Optional.of("body leaks '" + leak + "'");
      }
    }
    if (answer.status() < 400 || !(path.startsWith("/v2") || path.startsWith("/auth"))) {
      return Optional.empty();
    }
    String type = answer.header("content-type");
    if (type == null || !type.startsWith("application/json")) {
      return Optional.of("error answered as '" + type + "', not application/json");
    }
    JsonObject error;
    try {
      error = new JsonObject(answer.body());
    } catch (RuntimeException e) {
      return Optional.of("error body is not a JSON object");
    }
    if (!error.fieldNames().equals(Set.of("code", "reason", "message"))) {
      return Optional.of("error body has fields " + error.fieldNames() + ", not code, reason, message");
    }
    if (!Integer.valueOf(answer.status()).equals(error.getValue("code"))) {
      return Optional.of("error code " + error.getValue("code") + " differs from the status");
    }
    if (error.getString("message") == null || error.getString("message").isBlank()) {
      return Optional.of("error without a message");
    }
    return Optional.empty();
  }

  private ResponseOracle() {
  }
}
