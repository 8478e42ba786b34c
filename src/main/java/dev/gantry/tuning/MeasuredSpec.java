package dev.gantry.tuning;

import dev.gantry.model.ModelSpecs;
import io.vertx.core.json.JsonObject;

/** The catalog spec a run records for its winner: the winner's model, for the hardware it was measured on. */
final class MeasuredSpec {

  private MeasuredSpec() {
  }

  /**
   * Catalog-shaped JSON ({@code id, mode, hardware, model, notes, grid}) for the run's winning candidate; the run's
   * grid goes with it, so a later run can start from this spec alone (on other hardware, or to measure again).
   */
  static JsonObject of(JsonObject run, JsonObject winner) {
    JsonObject model = winner.getJsonObject("model").copy();
    model.remove("name");
    JsonObject hardware = MeasuredHardware.filter(winner.getJsonObject("hardware"), model);
    JsonObject request = run.getJsonObject("request");
    return new JsonObject()
        .put("id", MeasuredHardware.specId(run.getString("base_spec"), hardware))
        .put("mode", request.getString("mode", "standard"))
        .put("hardware", hardware)
        .put("model", model)
        .put("notes", "Measured on this cluster by tuning run " + run.getString("id") + ": the best of "
            + run.getJsonArray("candidates").size() + " candidates (" + shownValues(winner.getJsonObject("values")) + ").")
        .put("grid", request.getJsonObject("grid") == null ? null : request.getJsonObject("grid").copy());
  }

  /**
   * A candidate's grid values for the notes and the run's message, which plain users read: the value of a field
   * only admins read ({@link ModelSpecs#ADMIN_FIELDS}, e.g. an engine environment) is left to the model.
   */
  static String shownValues(JsonObject values) {
    JsonObject shown = values.copy();
    ModelSpecs.ADMIN_FIELDS.stream().filter(shown::containsKey).forEach(field -> shown.put(field, "see model"));
    return shown.encode();
  }
}
