package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Docker cannot run in CI, so the compose stack's safety rules are checked on its files. */
@DisplayName("docker-compose.yml: loopback ports, no default passwords, no admin in the realm")
class ComposeFileTest {

  private static final Set<String> SECRETS = Set.of("GANTRY_BOOTSTRAP_PASSWORD", "GANTRY_CLUSTER_SECRET",
      "POSTGRES_PASSWORD", "GANTRY_OIDC_CLIENT_SECRET", "KEYCLOAK_ADMIN_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
  private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]+}");
  private static final Pattern ANY_REFERENCE = Pattern.compile("\\$\\{([A-Z0-9_]+)([^}]*)}");

  private static String text;
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    text = Files.readString(Path.of("docker-compose.yml"));
    Map<String, Object> compose = new Yaml().load(text);
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  @Test
  @DisplayName("every published port is bound to 127.0.0.1")
  void publishesOnLoopbackOnly() {
    List<String> published = new ArrayList<>();
    services.forEach((name, service) -> {
      for (Object port : (List<?>) service.getOrDefault("ports", List.of())) {
        published.add(name + " " + (port instanceof Map<?, ?> map ? map.get("host_ip") + ":" + map.get("published") : port));
      }
    });

    assertThat(published).hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(entry -> assertThat(entry.split(" ", 2)[1]).startsWith("127.0.0.1:"));
  }

  @Test
  @DisplayName("every password and secret comes from a required variable (${VAR:?...}), never a default or a literal")
  void secretsAreRequiredVariables() {
    Set<String> required = new TreeSet<>();
    Matcher matcher = REQUIRED.matcher(text);
    while (matcher.find()) {
      required.add(matcher.group(1));
    }
    Matcher references = ANY_REFERENCE.matcher(text);
    while (references.find()) {
      if (SECRETS.contains(references.group(1))) {
        assertThat(references.group(2)).as("reference %s", references.group()).startsWith(":?");
      }
    }

    assertThat(required).containsAll(SECRETS);
    List<String> checked = new ArrayList<>();
    services.forEach((name, service) -> environment(service).forEach((key, value) -> {
      if (key.matches(".*_(PASSWORD|SECRET)")) {
        assertThat(value).as("%s of %s", key, name).matches(REQUIRED.pattern());
        checked.add(key);
      }
      if (key.equals("GANTRY_DB_URL")) {
        assertThat(value).matches("postgresql://gantry:\\$\\{POSTGRES_PASSWORD:\\?[^}]+}@postgres:5432/gantry");
        checked.add(key);
      }
    }));
    assertThat(checked).contains("GF_SECURITY_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD", "POSTGRES_PASSWORD",
        "GANTRY_BOOTSTRAP_PASSWORD", "GANTRY_CLUSTER_SECRET", "GANTRY_OIDC_CLIENT_SECRET", "GANTRY_DB_URL");
  }

  @Test
  @DisplayName("every Gantry node gets the same required cluster secret; Grafana lets no anonymous visitor in")
  void nodesShareTheClusterSecret() {
    List<String> nodes = services.entrySet().stream()
        .filter(e -> environment(e.getValue()).containsKey("GANTRY_NODE_NAME")).map(Map.Entry::getKey).toList();

    assertThat(nodes).containsExactly("n1", "n2", "n3");
    assertThat(nodes).allSatisfy(node -> assertThat(environment(services.get(node)).get("GANTRY_CLUSTER_SECRET"))
        .startsWith("${GANTRY_CLUSTER_SECRET:?"));
    assertThat(environment(services.get("grafana")).get("GF_AUTH_ANONYMOUS_ENABLED")).isEqualTo("false");
  }

  @Test
  @DisplayName(".env.example names every required variable, empty, and says how to generate it")
  void envExampleDocumentsEverySecret() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(".env.example"));

    assertThat(String.join("\n", lines)).contains("openssl rand -hex 32");
    for (String secret : SECRETS) {
      assertThat(lines).as(secret).contains(secret + "=");
    }
    assertThat(lines).filteredOn(line -> !line.startsWith("#") && line.contains("="))
        .allSatisfy(line -> assertThat(line).endsWith("="));
  }

  @Test
  @DisplayName("the Keycloak realm ships no user (so none in the admin group) and no default client secret")
  void realmHasNoUsers() throws IOException {
    JsonObject realm = new JsonObject(Files.readString(Path.of("conf/keycloak/gantry-realm.json")));

    assertThat(realm.getJsonArray("users", new JsonArray())).isEmpty();
    assertThat(realm.getJsonArray("groups").stream().map(g -> ((JsonObject) g).getString("name")))
        .contains("gantry-admins", "gantry-users");
    assertThat(realm.getJsonArray("clients").getJsonObject(0).getString("secret")).isEqualTo("${GANTRY_OIDC_CLIENT_SECRET}");
  }

  @Test
  @DisplayName("Prometheus sends its alerts to the stack's Alertmanager, whose config routes to a receiver it defines")
  @SuppressWarnings("unchecked")
  void prometheusAlertsGoToAlertmanager() throws IOException {
    Map<String, Object> alertmanager = services.get("alertmanager");
    assertThat(String.valueOf(alertmanager.get("image"))).startsWith("prom/alertmanager:");
    assertThat((List<String>) alertmanager.get("command")).contains("--config.file=/etc/alertmanager/alertmanager.yml");
    assertThat((List<String>) alertmanager.get("volumes")).contains("./conf/alertmanager:/etc/alertmanager:ro");

    Map<String, Object> config = new Yaml().load(Files.readString(Path.of("conf/alertmanager/alertmanager.yml")));
    String receiver = String.valueOf(((Map<String, Object>) config.get("route")).get("receiver"));
    assertThat(((List<Map<String, Object>>) config.get("receivers")).stream().map(r -> r.get("name"))).contains(receiver);

    Map<String, Object> prometheus = new Yaml().load(Files.readString(Path.of("conf/prometheus/prometheus.yml")));
    List<Map<String, Object>> managers = (List<Map<String, Object>>) ((Map<String, Object>) prometheus.get("alerting"))
        .get("alertmanagers");
    assertThat(managers).flatExtracting(m -> (List<Map<String, Object>>) m.get("static_configs"))
        .flatExtracting(c -> (List<String>) c.get("targets")).containsExactly("alertmanager:9093");
    assertThat((List<String>) prometheus.get("rule_files")).containsExactly("/etc/prometheus/alerts.yml");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> out = new LinkedHashMap<>();
    ((Map<String, Object>) service.getOrDefault("environment", Map.of())).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
