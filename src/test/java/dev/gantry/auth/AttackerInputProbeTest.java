package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile values the schema fuzzer ({@code SchemaFuzzTest}) does not aim at, sent as an admin: URLs that carry
 * credentials or point at files, names that climb out of their folder. Each is a 400 naming the field, and
 * nothing is written.
 */
@DisplayName("attacker probes: URLs and names an admin should not be able to store")
class AttackerInputProbeTest {

  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user:sk-secret@127.0.0.1:9/v1", "https://sk-secret@api.example.com/v1", "file:///etc/passwd",
      "ftp://127.0.0.1/v1", "http:///v1", "http://127.0.0.1:9/v1?key=sk-secret", "jar:file:/x!/"})
  @DisplayName("a provider's base_url with credentials, a query or another scheme is refused")
  void providerBaseUrls(String url) {
    String name = "probe-" + Ids.random(6).toLowerCase();
    Api.Response answer = admin.post("/v2/providers", new JsonObject().put("name", name).put("kind", "openai")
        .put("base_url", url).put("models", new JsonArray().add("m")));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().encode()).contains("base_url").doesNotContain("sk-secret");
    assertThat(admin.get("/v2/providers/" + name).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user:tok-secret@127.0.0.1:1", "file:///etc/passwd", "gopher://127.0.0.1:1"})
  @DisplayName("a worker pool's endpoint with credentials or another scheme is refused")
  void poolEndpoints(String endpoint) {
    String name = "probe-" + Ids.random(6).toLowerCase();
    Api.Response answer = admin.post("/v2/worker-pools", pool(name).put("endpoint", endpoint));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.body()).contains("endpoint").doesNotContain("tok-secret");
    assertThat(admin.get("/v2/worker-pools/" + name).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a model's hub_endpoint with credentials is refused: every signed-in user reads it")
  void hubEndpointWithCredentials() {
    String name = "probe-" + Ids.random(6).toLowerCase();
    Api.Response answer = admin.post("/v2/models", new JsonObject().put("name", name).put("source", "huggingface")
        .put("repo", "Qwen/Qwen2.5-0.5B-Instruct-GGUF").put("file", "*q4_k_m.gguf").put("backend", "builtin")
        .put("hub_endpoint", "http://user:hf_secret@127.0.0.1:9"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().getString("message")).contains("hub_endpoint", "hub_token");
    assertThat(admin.get("/v2/models/" + name).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("names that climb folders or hold NUL are refused for pools, routes, providers and limits")
  void hostileNames() {
    for (String name : new String[] {"../etc", "a/b", "..", "x\u0000y", "a".repeat(300)}) {
      assertThat(status(admin.post("/v2/worker-pools", pool(name)))).as("pool %s", name).isEqualTo(400);
      assertThat(status(admin.post("/v2/routes", new JsonObject().put("name", name).put("targets",
          new JsonArray().add(new JsonObject().put("model", "m")))))).as("route %s", name).isEqualTo(400);
      assertThat(status(admin.post("/v2/providers", new JsonObject().put("name", name).put("kind", "openai")
          .put("base_url", "http://127.0.0.1:9/v1").put("models", new JsonArray().add("m"))))).as("provider %s", name)
          .isEqualTo(400);
    }
    for (String path : new String[] {"%00", "x%00y", "a".repeat(5000)}) {
      Api.Response put = admin.send("PUT", "/v2/limits/" + path, "application/json", new JsonObject().put("limits",
          new JsonObject().put("requests_per_minute", 10)).encode().getBytes(StandardCharsets.UTF_8));
      assertThat(put.status()).as("limit %s: %s", path, put).isBetween(400, 414);
    }
    assertThat(Api.expect(admin.get("/v2/worker-pools"), 200).encode()).doesNotContain("etc", "x\\u0000y");
    assertThat(Api.expect(admin.get("/v2/limits"), 200).getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("a model file id naming a path outside the cache, the cache itself or a folder is a 404 and deletes nothing")
  void modelFileIdsOutsideTheCache() throws Exception {
    Path folder = TestFiles.tempDir("gantry-probe-");
    try {
      modelFileIdsOutside(Files.writeString(folder.resolve("keep.txt"), "keep"));
    } finally {
      TestFiles.deleteRecursively(folder);
    }
  }

  private void modelFileIdsOutside(Path outside) {
    for (String path : new String[] {outside.toString(), "", ".", "./", "hf/.."}) {
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString((nodes.name(1) + "/" + path)
          .getBytes(StandardCharsets.UTF_8));
      Api.Response answer = admin.delete("/v2/model-files/" + id);
      assertThat(answer.status()).as("'%s': %s", path, answer).isEqualTo(404);
    }
    assertThat(outside).exists();
    assertThat(Api.expect(admin.get("/v2/model-files"), 200).getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("a port scanner without credentials gets no file outside the console through the static route")
  void staticFilesStayInTheConsole() {
    Api anonymous = nodes.api(1);
    for (String path : new String[] {"/../../../../etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%5c..%5c..%5c..%5cetc%5cpasswd", "/js/%2e%2e/%2e%2e/pom.xml",
        "/%00", "/index.html%00.js"}) {
      Api.Response answer = anonymous.get(path);
      assertThat(answer.status()).as("%s: %s", path, answer).isLessThan(500);
      assertThat(answer.body()).as(path).doesNotContain("root:", "<artifactId>", "<project");
    }
  }

  private static int status(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isLessThan(500);
    return response.status();
  }

  private static JsonObject pool(String name) {
    return new JsonObject().put("name", name).put("provider", "digitalocean").put("endpoint", "http://127.0.0.1:1")
        .put("credentials", new JsonObject().put("token", "t")).put("region", "nyc3").put("image", "img")
        .put("instance_types", new JsonArray().add(new JsonObject().put("name", "s-1vcpu-1gb")));
  }
}
