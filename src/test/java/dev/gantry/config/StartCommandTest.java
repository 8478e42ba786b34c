package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StartCommandTest {

  private static GantryConfig parse(Map<String, String> env, Properties file, String... args) {
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).setDefaultValueProvider(new GantryDefaults(env, file)).parseArgs(args);
    return command.toConfig();
  }

  @Test
  void usesDocumentedDefaults() {
    GantryConfig config = parse(Map.of(), new Properties());
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.clusterPort()).isEqualTo(5701);
    assertThat(config.join()).isEmpty();
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.dataDir().toString()).endsWith("data");
    assertThat(config.nodeName()).isNotBlank();
    assertThat(config.embeddedDbPort()).as("chosen by the data directory").isNull();
  }

  @Test
  void hubEndpointFlagsWinOverTheEnvironmentWhichIsStillHonouredWithoutThem() {
    GantryConfig flagged = parse(Map.of(), new Properties(), "--hf-endpoint", "https://hf-mirror.example/",
        "--modelscope-endpoint", "http://ms.internal:8000");
    Map<String, String> process = Map.of("HF_ENDPOINT", "https://from-env.example", "PATH", "/bin");

    assertThat(flagged.sources().hubEnvironment(process)).containsEntry("HF_ENDPOINT", "https://hf-mirror.example")
        .containsEntry("MODELSCOPE_ENDPOINT", "http://ms.internal:8000").containsEntry("PATH", "/bin");
    assertThat(parse(Map.of(), new Properties()).sources().hubEnvironment(process)).containsEntry("HF_ENDPOINT",
        "https://from-env.example").doesNotContainKey("MODELSCOPE_ENDPOINT");
    assertThat(parse(Map.of("GANTRY_HF_ENDPOINT", "https://gantry-env.example"), new Properties()).sources().hfEndpoint())
        .isEqualTo("https://gantry-env.example");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--hf-endpoint", "hf-mirror.com"))
        .hasMessageContaining("--hf-endpoint expects an http(s) URL");
  }

  @Test
  void catalogUrlsAreRepeatableAndChecked() {
    GantryConfig config = parse(Map.of(), new Properties(), "--catalog-url", "https://a.example/catalog.json",
        "--catalog-url", "http://b.example/c.json,http://c.example/d.json", "--catalog-refresh", "30");

    assertThat(config.sources().catalogUrls()).extracting(Object::toString)
        .containsExactly("https://a.example/catalog.json", "http://b.example/c.json", "http://c.example/d.json");
    assertThat(config.sources().catalogRefresh()).hasSeconds(30);
    assertThat(parse(Map.of(), new Properties()).sources().catalogUrls()).isEmpty();
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--catalog-url", "file:///etc/passwd"))
        .hasMessageContaining("--catalog-url expects an http(s) URL");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--catalog-url", "https://reader:s3cret@a.example/c.json"))
        .hasMessageContaining("must not carry a user or password").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--catalog-url", "https://a|b.example/c.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--catalog-url");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--catalog-refresh", "0"))
        .hasMessageContaining("--catalog-refresh must be at least 1 second");
  }

  @Test
  void theInferenceBodyLimitIsInMebibytesFromOneTo1024() {
    assertThat(parse(Map.of(), new Properties()).inferenceBodyLimit()).isEqualTo(32L << 20);
    assertThat(parse(Map.of("GANTRY_MAX_INFERENCE_BODY", "100"), new Properties()).inferenceBodyLimit())
        .isEqualTo(100L << 20);
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--max-inference-body", "0"))
        .hasMessage("--max-inference-body must be between 1 and 1024 (MiB), got 0");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--max-inference-body", "4096"))
        .hasMessageContaining("between 1 and 1024");
  }

  @Test
  void anEmbeddedDbPortFromTheEnvironmentOrTheFileCountsAsGiven() {
    Properties file = new Properties();
    file.setProperty("embedded-db-port", "55000");
    assertThat(parse(Map.of(), file).embeddedDbPort()).isEqualTo(55000);
    assertThat(parse(Map.of("GANTRY_EMBEDDED_DB_PORT", "55001"), file).embeddedDbPort()).isEqualTo(55001);
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--embedded-db-port", "70000"))
        .hasMessage("--embedded-db-port must be between 1 and 65535, got 70000");
  }

  @Test
  void commandLineBeatsEnvironmentWhichBeatsTheConfigFile() {
    Properties file = new Properties();
    file.setProperty("port", "7000");
    file.setProperty("cluster-port", "7001");
    file.setProperty("node-name", "from-file");
    Map<String, String> env = Map.of("GANTRY_PORT", "9000", "GANTRY_NODE_NAME", "from-env");
    GantryConfig config = parse(env, file, "--node-name", "from-cli");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.clusterPort()).isEqualTo(7001);
    assertThat(config.nodeName()).isEqualTo("from-cli");
  }

  @Test
  void parsesPeersAndLabels() {
    GantryConfig config = parse(Map.of("GANTRY_LABELS", "zone=a,gpu=a100"), new Properties(),
        "--join", "10.0.0.1:5701,10.0.0.2:5702", "--db-url", "postgresql://u:p@db:5433/g");
    assertThat(config.join()).containsExactly("10.0.0.1:5701", "10.0.0.2:5702");
    assertThat(config.labels()).containsEntry("zone", "a").containsEntry("gpu", "a100");
    assertThat(config.embeddedDatabase()).isFalse();
  }

  @Test
  void rejectsMalformedPeers() {
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--join", "nohost"))
        .hasMessageContaining("--join expects host:port").hasMessageContaining("dns:");
  }

  @Test
  void singleSignOnIsOffByDefault() {
    OidcConfig oidc = parse(Map.of(), new Properties()).oidc();

    assertThat(oidc.enabled()).isFalse();
    assertThat(oidc.adminGroup()).isEqualTo("gantry-admins");
    assertThat(oidc.externalUrl()).isNull();
  }

  @Test
  void readsSingleSignOnFromEnvironmentAndFile() {
    Properties file = new Properties();
    file.setProperty("oidc-client-id", "gantry");
    file.setProperty("oidc-scopes", "openid,email groups");
    Map<String, String> env = Map.of("GANTRY_OIDC_ISSUER", "https://idp.example.com/realms/gantry/",
        "GANTRY_OIDC_CLIENT_SECRET", "s3cret", "GANTRY_EXTERNAL_URL", "https://gantry.example.com/");
    OidcConfig oidc = parse(env, file, "--oidc-admin-group", "ops").oidc();

    assertThat(oidc).isEqualTo(new OidcConfig("https://idp.example.com/realms/gantry", "gantry", "s3cret",
        "https://gantry.example.com", "ops", List.of("openid", "email", "groups")));
    assertThat(oidc.enabled()).isTrue();
  }

  @Test
  void rejectsIncompleteSingleSignOnSettings() {
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--oidc-issuer", "https://idp.example.com"))
        .hasMessageContaining("--oidc-issuer needs --oidc-client-id");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--oidc-issuer", "https://idp.example.com",
        "--oidc-client-id", "g", "--oidc-scopes", "profile email")).hasMessageContaining("must include 'openid'");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--external-url", "gantry.example.com"))
        .hasMessageContaining("--external-url expects an http(s) URL");
  }

  @Test
  void namesEnvironmentVariablesAfterOptions() {
    assertThat(GantryDefaults.envName("cluster-port")).isEqualTo("GANTRY_CLUSTER_PORT");
  }

  @Test
  void parsesDatabaseUrls() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://gantry:s%40cret@db.example.com:5433/prod");
    assertThat(url).isEqualTo(new DatabaseUrl("db.example.com", 5433, "prod", "gantry", "s@cret"));
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/prod");
    assertThat(url.display()).doesNotContain("cret");
    assertThat(DatabaseUrl.parse("postgres://db/x").port()).isEqualTo(5432);
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:secret@h/db"))
        .hasMessageContaining("expected postgresql://").hasMessageNotContaining("secret");
  }

  @Test
  void metricsStayOnThePublicPortForAdminsUnlessAMetricsPortIsGiven() {
    MetricsConfig byDefault = parse(Map.of(), new Properties()).metrics();
    MetricsConfig own = parse(Map.of("GANTRY_METRICS_PORT", "9464"), new Properties()).metrics();

    assertThat(byDefault.ownListener()).isFalse();
    assertThat(own.ownListener()).isTrue();
    assertThat(own.port()).isEqualTo(9464);
    assertThat(own.host()).isEqualTo("127.0.0.1");
    assertThat(parse(Map.of(), new Properties(), "--metrics-port", "9100", "--metrics-host", "10.0.0.5").metrics().host())
        .isEqualTo("10.0.0.5");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--metrics-port", "8080"))
        .hasMessageContaining("--metrics-port");
  }

  @Test
  void refusesAShortClusterSecretFromAnySourceWithoutEchoingIt() {
    assertThatThrownBy(() -> parse(Map.of("GANTRY_CLUSTER_SECRET", "hunter2-hunter2"), new Properties()))
        .hasMessageContaining("the cluster secret must be at least 32 characters (got 15)")
        .hasMessageContaining("openssl rand -hex 32").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--cluster-secret", "short"))
        .hasMessageContaining("at least 32 characters");
  }

  @Test
  void takesTheClusterSecretFromTheEnvironment() {
    String secret = dev.gantry.cluster.ClusterSecret.generate();
    GantryConfig config = parse(Map.of("GANTRY_CLUSTER_SECRET", secret), new Properties());

    assertThat(config.clusterSecret().clusterName())
        .isEqualTo(dev.gantry.cluster.ClusterSecret.of(secret).clusterName());
    assertThat(config.clusterSecret().toString()).doesNotContain(secret);
  }
}
