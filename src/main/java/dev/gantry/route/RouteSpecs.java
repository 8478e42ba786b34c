package dev.gantry.route;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks a route (already schema-checked: types, required fields, weights not negative) for what a schema
 * cannot say: some target has a positive weight, every Gantry model it names exists, every provider
 * exists and offers the model named. A 400 names the field.
 */
public final class RouteSpecs {

  private RouteSpecs() {
  }

  public static JsonObject normalize(JsonObject body, Predicate<String> modelExists, Function<String, Provider> providers) {
    JsonObject spec = body.copy();
    spec.remove("id");
    spec.remove("created_at");
    spec.remove("updated_at");
    JsonArray targets = spec.getJsonArray("targets");
    if (targets == null || targets.isEmpty()) {
      throw bad("targets", "field 'targets' must list at least one target ({\"model\": \"<model>\", \"weight\": 1})");
    }
    int positive = 0;
    for (int i = 0; i < targets.size(); i++) {
      JsonObject target = targets.getJsonObject(i);
      check("targets[" + i + "]", target, modelExists, providers);
      positive += target.getInteger("weight", 1) > 0 ? 1 : 0;
      target.put("weight", target.getInteger("weight", 1));
    }
    if (positive == 0) {
      throw bad("targets", "field 'targets' needs a target with a weight above 0; every weight is 0, so nothing would be picked");
    }
    JsonArray fallbacks = spec.getJsonArray("fallbacks", new JsonArray());
    for (int i = 0; i < fallbacks.size(); i++) {
      check("fallbacks[" + i + "]", fallbacks.getJsonObject(i), modelExists, providers);
    }
    spec.put("fallbacks", fallbacks);
    JsonObject on = spec.getJsonObject("fallback_on", new JsonObject());
    FallbackOn read = FallbackOn.from(on);
    spec.put("fallback_on", new JsonObject().put("connect_error", read.connectError())
        .put("server_error", read.serverError()).put("rate_limited", read.rateLimited())
        .put("first_byte_timeout_ms", read.firstByteTimeoutMs()).put("ttft_deadline_ms", read.ttftDeadlineMs()));
    return spec;
  }

  private static void check(String field, JsonObject target, Predicate<String> modelExists,
      Function<String, Provider> providers) {
    Target parsed = Target.from(target);
    if (!parsed.external()) {
      if (!modelExists.test(parsed.model())) {
        throw bad(field + ".model", "field '" + field + ".model': no model named '" + parsed.model()
            + "'; GET /v2/models lists them (a provider's model is {\"provider\": \"<name>\", \"model\": \"<model>\"})");
      }
      return;
    }
    Provider provider = providers.apply(parsed.provider());
    if (provider == null) {
      throw bad(field + ".model.provider", "field '" + field + ".model.provider': no provider named '"
          + parsed.provider() + "'; GET /v2/providers lists them");
    }
    if (!provider.offers(parsed.model())) {
      throw bad(field + ".model.model", "field '" + field + ".model.model': provider '" + provider.name()
          + "' does not offer model '" + parsed.model() + "'; it offers " + provider.models());
    }
  }

  private static ApiException bad(String field, String message) {
    return new ApiException(400, "BadRequest", message, field);
  }
}
