package dev.gantry.route;

import io.vertx.core.json.JsonObject;

/**
 * One place a route sends a request: a Gantry model ({@code provider} null) or a model of an external
 * provider, with its share of the traffic among a route's targets.
 */
public record Target(String model, String provider, int weight) {

  /** The name a client would call this target by: the model's, or {@code <provider>/<model>}. */
  public String name() {
    return provider == null ? model : provider + "/" + model;
  }

  public boolean external() {
    return provider != null;
  }

  /** Reads a validated target: {@code model} a string (a Gantry model) or {@code {provider, model}}. */
  static Target from(JsonObject json) {
    Object model = json.getValue("model");
    int weight = json.getInteger("weight", 1);
    if (model instanceof JsonObject external) {
      return new Target(external.getString("model"), external.getString("provider"), weight);
    }
    return new Target((String) model, null, weight);
  }
}
