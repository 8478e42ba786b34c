package dev.gantry.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A model family in the catalog (e.g. Qwen3 8B) with its specs and where the family came from. */
public record CatalogFamily(String name, String title, String description, JsonArray categories, String homepage,
    List<CatalogSpec> specs, String source) {

  public static CatalogFamily from(JsonObject json, String source) {
    String name = json.getString("name");
    if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9._:-]{0,80}")) {
      throw new IllegalArgumentException("family name must be letters, digits and . _ : -, got '" + name + "'");
    }
    JsonArray specs = json.getJsonArray("specs");
    if (specs == null || specs.isEmpty()) {
      throw new IllegalArgumentException("family " + name + " has no specs");
    }
    List<CatalogSpec> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object spec : specs) {
      if (!(spec instanceof JsonObject object)) {
        throw new IllegalArgumentException("family " + name + ": every spec is an object");
      }
      CatalogSpec one = CatalogSpec.from(object);
      if (!ids.add(one.id())) {
        throw new IllegalArgumentException("family " + name + ": spec id " + one.id() + " appears twice");
      }
      parsed.add(one);
    }
    return new CatalogFamily(name, json.getString("title", name), json.getString("description", ""),
        json.getJsonArray("categories", new JsonArray()).copy(), json.getString("homepage"), List.copyOf(parsed), source);
  }
}
