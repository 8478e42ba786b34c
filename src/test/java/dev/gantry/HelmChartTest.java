package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.KubernetesConfig;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.gantry.cluster.HazelcastSetup;
import dev.gantry.cluster.PeerDiscovery;
import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Kubernetes runs here: the chart is linted and rendered with Helm's own library, and what it renders
 * is checked against what a cluster of Gantry nodes needs (one headless Service over every pool, DNS
 * discovery that Gantry itself reads, device-plugin resources per vendor, secrets as files).
 * {@code deploy/k8s/gantry.yaml}, the plain manifests, must be what the chart renders; regenerate it with
 * {@code mvn test -Dtest=HelmChartTest -Dgantry.k8s.regenerate=true}.
 */
@DisplayName("deploy/helm/gantry: lints, renders one cluster over every pool, and the plain manifests match it")
class HelmChartTest {

  private static final Path CHART = Path.of("deploy/helm/gantry");
  private static final Path PLAIN = Path.of("deploy/k8s/gantry.yaml");

  @Test
  void lintsCleanly() {
    LintResult result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  @DisplayName("defaults: three CPU nodes, a headless Service that publishes unready pods, DNS join Gantry accepts")
  void defaultsFormOneCluster() {
    Rendered out = render(Map.of());

    Map<String, Object> headless = out.one("Service", "g1-gantry-hs");
    assertThat(at(headless, "spec.clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec.publishNotReadyAddresses")).isEqualTo(true);
    Map<String, Object> nodes = out.one("StatefulSet", "g1-gantry-cpu");
    assertThat(at(nodes, "spec.replicas")).isEqualTo(3);
    assertThat(at(nodes, "spec.serviceName")).isEqualTo("g1-gantry-hs");
    assertThat(at(nodes, "spec.template.spec.enableServiceLinks")).isEqualTo(false);
    assertThat(selector(headless)).isEqualTo(podLabels(nodes).entrySet().stream()
        .filter(e -> selector(headless).containsKey(e.getKey()))
        .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));

    Map<String, Object> env = env(nodes);
    assertThat(env.get("GANTRY_JOIN")).isEqualTo("dns:g1-gantry-hs.ai.svc.cluster.local:5701");
    PeerDiscovery discovery = PeerDiscovery.parse(List.of((String) env.get("GANTRY_JOIN")), 5701);
    Config member = HazelcastSetup.memberConfig("c", "10.1.2.3", 5701, List.of((String) env.get("GANTRY_JOIN")));
    KubernetesConfig kubernetes = member.getAdvancedNetworkConfig().getJoin().getKubernetesConfig();
    assertThat(kubernetes.isEnabled()).isTrue();
    assertThat(kubernetes.getProperty("service-dns")).isEqualTo(discovery.serviceDns());
    assertThat(env.get("GANTRY_HOST")).isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "status.podIP")));
    assertThat(env.get("GANTRY_DB_URL")).isEqualTo("postgresql://gantry@g1-gantry-postgres:5432/gantry");
    assertThat(at(nodes, "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(50);
    Map<String, Object> container = container(nodes);
    assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
    assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
    assertThat(out.one("StatefulSet", "g1-gantry-postgres")).isNotNull();
  }

  @Test
  @DisplayName("secrets reach a node as files or secret references, never as values in the pod spec")
  void secretsAreNeverInThePodSpec() {
    String secret = "s3cr3t-cluster-value-0123456789abcdef-xyz";
    Rendered out = render(Map.of("clusterSecret.value", secret, "bootstrapPassword.value", "first-admin-pw"));

    Map<String, Object> nodes = out.one("StatefulSet", "g1-gantry-cpu");
    String podSpec = new Yaml().dump(nodes);
    assertThat(podSpec).doesNotContain(secret).doesNotContain("first-admin-pw");
    Map<String, Object> env = env(nodes);
    assertThat(env.get("GANTRY_CLUSTER_SECRET_FILE")).isEqualTo("/etc/gantry/secrets/cluster-secret");
    assertThat(env.get("GANTRY_DB_PASSWORD_FILE")).isEqualTo("/etc/gantry/secrets/db-password");
    assertThat(env).doesNotContainKeys("GANTRY_CLUSTER_SECRET", "GANTRY_DB_PASSWORD");
    Map<String, Object> stored = installHooks(Map.of("clusterSecret.value", secret)).one("Secret", "g1-gantry");
    assertThat(at(stored, "metadata.annotations")).asString().contains("was-hook=pre-install");
    assertThat(new String(java.util.Base64.getDecoder().decode((String) at(stored, "data.cluster-secret"))))
        .isEqualTo(secret);
    assertThat(((String) at(stored, "data.postgres-password"))).isNotBlank();
  }

  @Test
  @DisplayName("accelerator pools ask their device plugin for devices: nvidia, amd, ascend, an override")
  void acceleratorPoolsRequestDevices() {
    Rendered out = render(values(
        "nodePools[0].name", "cpu", "nodePools[0].replicas", "1",
        "nodePools[1].name", "h100", "nodePools[1].replicas", "2",
        "nodePools[1].accelerator.vendor", "nvidia", "nodePools[1].accelerator.count", "8",
        "nodePools[1].runtimeClassName", "nvidia", "nodePools[1].javaOpts", "-Xms2g -Xmx2g -XX:+AlwaysPreTouch",
        "nodePools[2].name", "mi300", "nodePools[2].replicas", "1",
        "nodePools[2].accelerator.vendor", "amd", "nodePools[2].accelerator.count", "4",
        "nodePools[3].name", "ascend", "nodePools[3].replicas", "1",
        "nodePools[3].accelerator.vendor", "ascend", "nodePools[3].accelerator.count", "2"));
    Rendered mig = render(Map.of("nodePools[0].name", "mig", "nodePools[0].replicas", "1",
        "nodePools[0].accelerator.vendor", "nvidia", "nodePools[0].accelerator.count", "1",
        "nodePools[0].accelerator.resource", "nvidia.com/mig-1g.10gb"));

    assertThat(at(container(out.one("StatefulSet", "g1-gantry-h100")), "resources.limits")).isEqualTo(Map.of("nvidia.com/gpu", 8));
    assertThat(at(out.one("StatefulSet", "g1-gantry-h100"), "spec.template.spec.runtimeClassName")).isEqualTo("nvidia");
    assertThat(at(container(out.one("StatefulSet", "g1-gantry-mi300")), "resources.limits")).isEqualTo(Map.of("amd.com/gpu", 4));
    assertThat(at(container(out.one("StatefulSet", "g1-gantry-ascend")), "resources.limits"))
        .isEqualTo(Map.of("huawei.com/Ascend910", 2));
    assertThat(String.valueOf(at(container(out.one("StatefulSet", "g1-gantry-cpu")), "resources.limits")))
        .doesNotContain("nvidia.com/gpu", "amd.com/gpu");
    assertThat(at(container(mig.one("StatefulSet", "g1-gantry-mig")), "resources.limits"))
        .isEqualTo(Map.of("nvidia.com/mig-1g.10gb", 1));
    assertThat(env(out.one("StatefulSet", "g1-gantry-h100")).get("GANTRY_LABELS")).isEqualTo("pool=h100,accelerator=nvidia");
    assertThat(env(out.one("StatefulSet", "g1-gantry-h100")).get("GANTRY_JAVA_OPTS")).isEqualTo("-Xms2g -Xmx2g -XX:+AlwaysPreTouch");
    assertThat(env(out.one("StatefulSet", "g1-gantry-cpu"))).as("no javaOpts: the image's flags").doesNotContainKey("GANTRY_JAVA_OPTS");
    assertThat(out.all("StatefulSet")).hasSize(5);
    assertThat(out.all("Service").stream().filter(s -> "None".equals(at(s, "spec.clusterIP")))).hasSize(1);
  }

  @Test
  @DisplayName("bad values are refused with a message: schema types, unknown vendor, external database without URL")
  void badValuesAreRefused() {
    assertThatThrownBy(() -> render(Map.of("nodePools[0].replicas", "three"))).hasMessageContaining("replicas");
    assertThatThrownBy(() -> render(Map.of("nodePools[0].accelerator.vendor", "voodoo"))).hasMessageContaining("vendor");
    assertThatThrownBy(() -> render(Map.of("clusterSecret.value", "short"))).hasMessageContaining("clusterSecret");
    assertThatThrownBy(() -> render(Map.of("postgresql.enabled", "false")))
        .hasMessageContaining("postgresql.external.url is required");
    assertThatThrownBy(() -> render(Map.of("postgresql.enabled", "false",
        "postgresql.external.url", "postgresql://gantry:inline-password@db:5432/gantry")))
        .hasMessageContaining("external");
  }

  @Test
  @DisplayName("an external database: URL without password, password file from the named Secret, no bundled PostgreSQL")
  void externalDatabase() {
    Rendered out = render(Map.of("postgresql.enabled", "false", "postgresql.external.url", "postgresql://gantry@db.prod:5432/gantry",
        "postgresql.external.existingSecret", "db-credentials"));

    assertThat(out.all("StatefulSet")).extracting(s -> at(s, "metadata.name")).containsExactly("g1-gantry-cpu");
    assertThat(env(out.one("StatefulSet", "g1-gantry-cpu")).get("GANTRY_DB_URL")).isEqualTo("postgresql://gantry@db.prod:5432/gantry");
    assertThat(new Yaml().dump(out.one("StatefulSet", "g1-gantry-cpu"))).contains("db-credentials");
  }

  @Test
  @DisplayName("deploy/k8s/gantry.yaml is the chart rendered with secrets from a Secret of your own")
  void plainManifestsAreTheRenderedChart() throws IOException {
    String rendered = new Helm(CHART).template().withName("gantry").withNamespace("gantry")
        .set("clusterSecret.existingSecret", "gantry-secrets").set("bootstrapPassword.existingSecret", "gantry-secrets")
        .set("postgresql.existingSecret", "gantry-secrets").call();
    String header = "# Generated from deploy/helm/gantry by HelmChartTest (-Dgantry.k8s.regenerate=true); do not edit.\n"
        + "# Create the Secret first (every value your own, e.g. openssl rand -hex 32):\n"
        + "#   kubectl create namespace gantry\n"
        + "#   kubectl -n gantry create secret generic gantry-secrets --from-literal=cluster-secret=... \\\n"
        + "#     --from-literal=bootstrap-password=... --from-literal=postgres-password=...\n"
        + "#   kubectl -n gantry apply -f deploy/k8s/gantry.yaml\n";
    if (Boolean.getBoolean("gantry.k8s.regenerate")) {
      Files.createDirectories(PLAIN.getParent());
      Files.writeString(PLAIN, header + rendered);
    }
    assertThat(Files.readString(PLAIN)).isEqualTo(header + rendered);
    assertThat(rendered).doesNotContain("kind: Secret");
  }

  /**
   * The chart's install hooks: {@code helm template} leaves them out, and the generated Secret is one
   * (written once, at install, so that upgrades keep its values). A copy of the chart without the hook
   * annotation renders it.
   */
  private static Rendered installHooks(Map<String, String> values) {
    Path copy = null;
    try {
      copy = Files.createTempDirectory("gantry-chart");
      try (var files = Files.walk(CHART)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(CHART.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.writeString(target, Files.readString(file).replace("helm.sh/hook: pre-install", "gantry.dev/was-hook: pre-install"));
          }
        }
      }
      var template = new Helm(copy).template().withName("g1").withNamespace("ai");
      values.forEach(template::set);
      return new Rendered(template.call());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      TestFiles.deleteRecursively(copy);
    }
  }

  private static Map<String, String> values(String... pairs) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put(pairs[i], pairs[i + 1]);
    }
    return values;
  }

  private static Rendered render(Map<String, String> values) {
    var template = new Helm(CHART).template().withName("g1").withNamespace("ai");
    values.forEach(template::set);
    return new Rendered(template.call());
  }

  private record Rendered(List<Map<String, Object>> documents) {
    @SuppressWarnings("unchecked")
    Rendered(String yaml) {
      this(load(yaml));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load(String yaml) {
      List<Map<String, Object>> documents = new ArrayList<>();
      new Yaml().loadAll(yaml).forEach(doc -> {
        if (doc != null) {
          documents.add((Map<String, Object>) doc);
        }
      });
      return documents;
    }

    List<Map<String, Object>> all(String kind) {
      return documents.stream().filter(doc -> kind.equals(doc.get("kind"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
      return all(kind).stream().filter(doc -> name.equals(at(doc, "metadata.name"))).findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + documents.stream()
              .map(doc -> doc.get("kind") + "/" + at(doc, "metadata.name")).toList()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Object at(Map<String, Object> doc, String path) {
    Object here = doc;
    for (String key : path.split("\\.")) {
      if (!(here instanceof Map<?, ?> map)) {
        return null;
      }
      here = map.get(key);
    }
    return here;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> statefulSet) {
    return ((List<Map<String, Object>>) at(statefulSet, "spec.template.spec.containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> statefulSet) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Map<String, Object> variable : (List<Map<String, Object>>) container(statefulSet).get("env")) {
      env.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value") : variable.get("valueFrom"));
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> selector(Map<String, Object> service) {
    return (Map<String, Object>) Objects.requireNonNull(at(service, "spec.selector"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podLabels(Map<String, Object> statefulSet) {
    return (Map<String, Object>) at(statefulSet, "spec.template.metadata.labels");
  }
}
