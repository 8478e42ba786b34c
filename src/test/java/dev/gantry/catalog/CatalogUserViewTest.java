package dev.gantry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What a plain user reads of the catalog: no node paths, catalog URLs, read errors or admin-only model fields. */
class CatalogUserViewTest {

  @Test
  void sourcesAndFamiliesAreNamedByKindAndAdminFieldsAreGone() {
    JsonObject catalog = new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("name", "qwen").put("source", "/srv/gantry/catalog/team.json")
            .put("specs", new JsonArray().add(new JsonObject().put("model", new JsonObject().put("name", "q")
                .put("env", new JsonObject().put("HF_TOKEN", "hf_secret")))))))
        .put("sources", new JsonArray()
            .add(new JsonObject().put("source", "shipped:catalog/shipped.json").put("families", 4))
            .add(new JsonObject().put("source", "https://catalog.internal.example/gantry.json").put("families", 2))
            .add(new JsonObject().put("source", "/srv/gantry/catalog/broken.json")
                .put("error", "cannot read: /srv/gantry/catalog/broken.json (Permission denied)"))
            .add(new JsonObject().put("source", "measured").put("specs", 1)));

    String seen = CatalogRoutes.userView(catalog).encode();

    assertThat(seen).doesNotContain("/srv/gantry", "catalog.internal.example", "Permission denied", "hf_secret");
    assertThat(catalog.getJsonArray("sources").stream().map(s -> ((JsonObject) s).getString("source")))
        .containsExactly("shipped", "url", "file", "measured");
    assertThat(catalog.getJsonArray("sources").getJsonObject(2).getString("error")).contains("an administrator sees");
    assertThat(catalog.getJsonArray("items").getJsonObject(0).getString("source")).isEqualTo("file");
  }
}
