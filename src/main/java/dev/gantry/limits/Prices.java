package dev.gantry.limits;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * What a model or route name costs, in the node's currency ({@code --currency}) per million prompt and per
 * million completion tokens ({@code prices} of {@code /v2/limits/{name}}). A request's cost in millionths of
 * the currency is then simply tokens × price.
 */
public record Prices(double promptPerMillion, double completionPerMillion) {

  static final double MAX_PRICE = 1e9;

  /** The cost of {@code prompt} and {@code completion} tokens, in millionths of the currency. */
  public long costMicros(long prompt, long completion) {
    return Math.round(prompt * promptPerMillion + completion * completionPerMillion);
  }

  /** Millionths of the currency as an amount of it (six decimals). */
  public static double amount(long micros) {
    return micros / 1_000_000.0;
  }

  /** The prices of a stored record (already validated); null or unreadable: none (null). */
  public static Prices of(JsonObject prices) {
    try {
      return parse(prices, "prices");
    } catch (ApiException | ClassCastException e) {
      return null;
    }
  }

  /** Validates a {@code prices} object from a request (null: none); a 400 names the field that is wrong. */
  public static Prices parse(JsonObject prices, String field) {
    if (prices == null) {
      return null;
    }
    return new Prices(price(prices, field, "prompt_per_million"), price(prices, field, "completion_per_million"));
  }

  private static double price(JsonObject prices, String field, String name) {
    Object value = prices.getValue(name);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() >= 0) || number.doubleValue() > MAX_PRICE) {
      throw ApiException.badRequest("'" + field + "." + name + "' must be a price of at least 0 in the node's currency "
          + "per million tokens (got " + value + ")");
    }
    return number.doubleValue();
  }
}
