package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListQueryTest {

  private static final Set<String> SORTABLE = Set.of("name", "size");
  private final List<JsonObject> items = List.of(
      new JsonObject().put("name", "charlie").put("size", 3),
      new JsonObject().put("name", "alpha").put("size", 10),
      new JsonObject().put("name", "bravo").put("size", 2),
      new JsonObject().put("name", "alphabet").put("size", 2));

  private JsonObject run(String... params) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < params.length; i += 2) {
      map.add(params[i], params[i + 1]);
    }
    return ListQuery.from(map, SORTABLE).apply(items, List.of("name"));
  }

  private static List<String> names(JsonObject page) {
    JsonArray array = page.getJsonArray("items");
    return array.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  void answersEverythingOnOnePageByDefault() {
    JsonObject page = run();
    assertThat(names(page)).containsExactly("charlie", "alpha", "bravo", "alphabet");
    assertThat(page.getJsonObject("pagination").getMap())
        .containsEntry("page", 1).containsEntry("perPage", 100).containsEntry("total", 4).containsEntry("totalPage", 1);
  }

  @Test
  void cutsPagesAndCountsThem() {
    JsonObject second = run("page", "2", "perPage", "3", "sort_by", "name");
    assertThat(names(second)).containsExactly("charlie");
    assertThat(second.getJsonObject("pagination").getInteger("totalPage")).isEqualTo(2);
    assertThat(names(run("page", "9", "perPage", "3"))).isEmpty();
  }

  @Test
  void sortsByManyFieldsAscendingAndDescending() {
    assertThat(names(run("sort_by", "-size"))).containsExactly("alpha", "charlie", "bravo", "alphabet");
    assertThat(names(run("sort_by", "size,-name"))).containsExactly("bravo", "alphabet", "charlie", "alpha");
  }

  @Test
  void searchesCaseInsensitively() {
    assertThat(names(run("search", "ALPH"))).containsExactly("alpha", "alphabet");
    assertThat(run("search", "zzz").getJsonObject("pagination").getInteger("total")).isZero();
  }

  @Test
  void rejectsBadParametersNamingThem() {
    assertThatThrownBy(() -> run("page", "0")).isInstanceOf(ApiException.class).hasMessageContaining("page");
    assertThatThrownBy(() -> run("perPage", "5000")).hasMessageContaining("perPage must be between 1 and 1000");
    assertThatThrownBy(() -> run("page", "two")).hasMessageContaining("page must be a whole number");
    assertThatThrownBy(() -> run("sort_by", "color")).hasMessageContaining("cannot sort by 'color'");
  }

  @Test
  void theSizeOfAPageMayBeSpeltPerUnderscorePage() {
    JsonObject page = run("page", "2", "per_page", "3", "sort_by", "name");

    assertThat(names(page)).containsExactly("charlie");
    assertThat(page.getJsonObject("pagination").getInteger("perPage")).isEqualTo(3);
    assertThat(names(run("perPage", "2", "per_page", "2"))).hasSize(2);
    assertThatThrownBy(() -> run("per_page", "0")).hasMessageContaining("per_page must be between 1 and 1000, got 0");
    assertThatThrownBy(() -> run("perPage", "2", "per_page", "3")).hasMessageContaining("disagree");
  }
}
