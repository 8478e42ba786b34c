package dev.gantry.benchmark;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * What a benchmark sends: {@code requests} in all (or for {@code duration_seconds}), at most
 * {@code concurrency} at once, arriving back to back (no {@code rate}) or at {@code rate} per second,
 * evenly ({@code arrival: fixed}) or as a Poisson process; prompts of {@code prompt_tokens} words
 * (uniform between min and max) or taken in turn from {@code prompts}; {@code max_tokens} likewise;
 * streamed or not.
 */
public record LoadProfile(int requests, int durationSeconds, int concurrency, Double rate, String arrival,
    Range promptTokens, Range maxTokens, List<String> prompts, boolean stream) {

  public static final int MAX_REQUESTS = 10_000;
  public static final int MAX_DURATION = 3_600;

  /** An inclusive integer range, a fixed value when min equals max. */
  public record Range(int min, int max) {
    int pick(Random random) {
      return min == max ? min : min + random.nextInt(max - min + 1);
    }

    JsonObject toJson() {
      return new JsonObject().put("min", min).put("max", max);
    }
  }

  public static LoadProfile from(JsonObject json) {
    JsonObject p = json == null ? new JsonObject() : json;
    int duration = integer(p, "duration_seconds", 0, 0, MAX_DURATION);
    int requests = integer(p, "requests", duration > 0 ? MAX_REQUESTS : 50, 1, MAX_REQUESTS);
    int concurrency = integer(p, "concurrency", 4, 1, 512);
    Double rate = p.getValue("rate") == null ? null : number(p, "rate", 0.01, 10_000);
    String arrival = p.getString("arrival", "fixed");
    if (!arrival.equals("fixed") && !arrival.equals("poisson")) {
      throw field("arrival", "arrival must be fixed or poisson, got '" + arrival + "'");
    }
    if (rate == null && p.containsKey("arrival")) {
      throw field("arrival", "arrival needs a rate (requests per second)");
    }
    JsonArray prompts = p.getJsonArray("prompts");
    if (prompts != null && (prompts.isEmpty() || prompts.size() > 1000
        || prompts.stream().anyMatch(x -> !(x instanceof String s) || s.isBlank() || s.length() > 100_000))) {
      throw field("prompts", "prompts must be 1 to 1000 non-empty texts");
    }
    return new LoadProfile(requests, duration, concurrency, rate, arrival, range(p, "prompt_tokens", 64, 1, 32_768),
        range(p, "max_tokens", 64, 1, 32_768), prompts == null ? null : prompts.stream().map(String.class::cast).toList(),
        p.getBoolean("stream", true));
  }

  /** A prompt of about {@code tokens} words (one token each, roughly, for most tokenizers). */
  String prompt(int index, Random random) {
    if (prompts != null) {
      return prompts.get(index % prompts.size());
    }
    int words = promptTokens.pick(random);
    StringBuilder text = new StringBuilder("Continue this list of words:");
    for (int i = 0; i < words; i++) {
      text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.toString();
  }

  /** Nanoseconds until the next arrival (open loop), or 0 for back to back (closed loop). */
  long nextGapNanos(Random random) {
    if (rate == null) {
      return 0;
    }
    double seconds = arrival.equals("poisson") ? -Math.log(1 - random.nextDouble()) / rate : 1 / rate;
    return (long) (seconds * 1e9);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("requests", requests).put("concurrency", concurrency)
        .put("prompt_tokens", promptTokens.toJson()).put("max_tokens", maxTokens.toJson()).put("stream", stream);
    if (durationSeconds > 0) {
      json.put("duration_seconds", durationSeconds);
    }
    if (rate != null) {
      json.put("rate", rate).put("arrival", arrival);
    }
    if (prompts != null) {
      json.put("prompts", new JsonArray(prompts));
    }
    return json;
  }

  private static int integer(JsonObject p, String name, int fallback, int min, int max) {
    Object value = p.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < min
        || n.intValue() > max) {
      throw field(name, name + " must be a whole number from " + min + " to " + max + ", got " + value);
    }
    return n.intValue();
  }

  private static double number(JsonObject p, String name, double min, double max) {
    Object value = p.getValue(name);
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      throw field(name, name + " must be a number from " + min + " to " + max + ", got " + value);
    }
    return n.doubleValue();
  }

  private static Range range(JsonObject p, String name, int fallback, int min, int max) {
    Object value = p.getValue(name);
    if (value == null) {
      return new Range(fallback, fallback);
    }
    if (value instanceof Number) {
      int fixed = integer(p, name, fallback, min, max);
      return new Range(fixed, fixed);
    }
    if (value instanceof JsonObject r) {
      int low = integer(r, "min", -1, min, max);
      int high = integer(r, "max", -1, min, max);
      if (low < 0 || high < 0 || low > high) {
        throw field(name, name + " takes {\"min\": a, \"max\": b} with " + min + " <= a <= b <= " + max);
      }
      return new Range(low, high);
    }
    throw field(name, name + " is a number or {\"min\": a, \"max\": b}");
  }

  private static ApiException field(String name, String message) {
    return new ApiException(400, "invalid_request", "profile." + message, "profile." + name);
  }

  private static final String[] WORDS = ("apple river stone cloud garden lamp window mountain paper violin orange "
      + "harbor pencil meadow silver candle forest engine planet bridge winter copper desert island marble").split(" ");
}
