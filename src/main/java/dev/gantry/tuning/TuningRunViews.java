package dev.gantry.tuning;

import dev.gantry.model.ModelSpecs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a plain user reads of a tuning run: the run without the {@link ModelSpecs#ADMIN_FIELDS} (engine
 * environment, flags, commands, paths) of its model form, its grid and its candidates' models and values,
 * which only admins read, as of any model.
 */
final class TuningRunViews {

  private TuningRunViews() {
  }

  static JsonObject userView(JsonObject run) {
    JsonObject view = run.copy();
    if (view.getValue("request") instanceof JsonObject request) {
      withoutAdminFields(request.getValue("model"));
      withoutAdminFields(request.getValue("grid"));
    }
    if (view.getValue("candidates") instanceof JsonArray candidates) {
      candidates.forEach(item -> {
        if (item instanceof JsonObject candidate) {
          withoutAdminFields(candidate.getValue("model"));
          withoutAdminFields(candidate.getValue("values"));
        }
      });
    }
    return view;
  }

  private static void withoutAdminFields(Object value) {
    if (value instanceof JsonObject object) {
      ModelSpecs.ADMIN_FIELDS.forEach(object::remove);
    }
  }
}
