package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("List conventions: pagination, sorting, search")
class ListConventionsTest {

  private static TestNodes nodes;
  private static Api admin;
  /** Five users sharing a prefix no other test uses: {prefix}-a ... {prefix}-e. */
  private static String prefix;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    prefix = "list" + UUID.randomUUID().toString().substring(0, 6);
    for (String suffix : List.of("c", "a", "e", "b", "d")) {
      admin.createUser(prefix + "-" + suffix, "user-password", "user");
    }
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static List<String> usernames(Response response) {
    return response.items().stream().map(JsonObject.class::cast).map(u -> u.getString("username")).toList();
  }

  @Test
  @DisplayName("pages carry page, perPage, total and totalPage")
  void paginates() {
    Response first = admin.get("/v2/users?search=" + prefix + "&sort_by=username&perPage=2&page=1");
    Response last = admin.get("/v2/users?search=" + prefix + "&sort_by=username&perPage=2&page=3");
    Response beyond = admin.get("/v2/users?search=" + prefix + "&sort_by=username&perPage=2&page=4");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getJsonObject("pagination")).isEqualTo(new JsonObject()
        .put("page", 1).put("perPage", 2).put("total", 5).put("totalPage", 3));
    assertThat(usernames(first)).containsExactly(prefix + "-a", prefix + "-b");
    assertThat(usernames(last)).containsExactly(prefix + "-e");
    assertThat(last.json().getJsonObject("pagination").getInteger("page")).isEqualTo(3);
    assertThat(usernames(beyond)).isEmpty();
    assertThat(beyond.json().getJsonObject("pagination").getInteger("total")).isEqualTo(5);
  }

  @Test
  @DisplayName("sort_by sorts ascending by a field and descending with a leading minus")
  void sorts() {
    Response ascending = admin.get("/v2/users?search=" + prefix + "&sort_by=username");
    Response descending = admin.get("/v2/users?search=" + prefix + "&sort_by=-username");

    assertThat(usernames(ascending)).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d", prefix + "-e");
    assertThat(usernames(descending)).containsExactly(prefix + "-e", prefix + "-d", prefix + "-c", prefix + "-b", prefix + "-a");
  }

  @Test
  @DisplayName("search matches part of a field, ignoring case; no match is an empty page")
  void searches() {
    Response one = admin.get("/v2/users?search=" + prefix.toUpperCase() + "-C");
    Response none = admin.get("/v2/users?search=nobody-is-called-" + prefix);

    assertThat(usernames(one)).containsExactly(prefix + "-c");
    assertThat(none.items()).isEmpty();
    assertThat(none.json().getJsonObject("pagination").getInteger("total")).isZero();
    assertThat(none.json().getJsonObject("pagination").getInteger("totalPage")).isZero();
  }

  @Test
  @DisplayName("the same conventions apply to nodes and API keys")
  void everyListSharesTheConventions() {
    Response nodesPage = admin.get("/v2/nodes?perPage=1&sort_by=-name&search=" + nodes.name(1));
    admin.createKey(prefix + "-key-b", "*");
    admin.createKey(prefix + "-key-a", "*");
    Response keys = admin.get("/v2/api-keys?search=" + prefix + "&sort_by=name");

    assertThat(nodesPage.json().getJsonObject("pagination").getInteger("total")).isEqualTo(1);
    assertThat(nodesPage.items().getJsonObject(0).getString("name")).isEqualTo(nodes.name(1));
    assertThat(keys.items().stream().map(JsonObject.class::cast).map(k -> k.getString("name")))
        .containsExactly(prefix + "-key-a", prefix + "-key-b");
  }

  @ParameterizedTest(name = "{0}={1} is a 400 naming {0}")
  @CsvSource({
      "page, 0",
      "page, -3",
      "page, abc",
      "perPage, 0",
      "perPage, 5000",
      "perPage, many",
      "sort_by, unknown",
      "sort_by, '-password_hash'",
  })
  @DisplayName("bad list parameters answer 400 naming the parameter")
  void rejectsBadParameters(String parameter, String value) {
    for (String path : List.of("/v2/users", "/v2/api-keys", "/v2/nodes")) {
      Response response = admin.get(path + "?" + parameter + "=" + value);

      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.json().getString("reason")).isEqualTo("BadRequest");
      assertThat(response.json().getString("message")).as(path).contains(parameter);
    }
  }
}
