package dev.gantry.route;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A name clients call as {@code model}, decoded from its validated JSON: weighted targets, then fallbacks in order. */
public record Route(String name, List<Target> targets, List<Target> fallbacks, FallbackOn fallbackOn) {

  public static Route from(JsonObject json) {
    return new Route(json.getString("name"), targets(json.getJsonArray("targets")),
        targets(json.getJsonArray("fallbacks")), FallbackOn.from(json.getJsonObject("fallback_on")));
  }

  private static List<Target> targets(JsonArray array) {
    List<Target> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        out.add(Target.from(array.getJsonObject(i)));
      }
    }
    return List.copyOf(out);
  }
}
