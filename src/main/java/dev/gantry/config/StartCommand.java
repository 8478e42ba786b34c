package dev.gantry.config;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.PeerDiscovery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry start}: the options of one node. Every option is also {@code GANTRY_<NAME>} and a config-file key. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start a Gantry node. With no --join it starts a new cluster; with no --db-url it runs "
        + "PostgreSQL embedded in the data directory.",
    footer = {"", "Every option can also be set as an environment variable (--cluster-port -> GANTRY_CLUSTER_PORT)",
        "or in conf/gantry.properties (cluster-port=5701); the command line wins, then the environment, then the file."})
public final class StartCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "./data", description = "Where the node keeps its state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address this node binds and advertises to its peers (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Public HTTP port: API, gateway, console (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--cluster-port", defaultValue = "5701", description = "Hazelcast cluster port (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--join", split = ",", paramLabel = "host:port",
      description = "Peers to join, comma separated, or dns:<service>[:port] to find them as the addresses of a DNS "
          + "name (a Kubernetes headless Service). None: start a new cluster.")
  List<String> join = List.of();

  @Option(names = "--node-name", description = "Name of this node (default: the host name).")
  String nodeName;

  @Option(names = "--labels", split = ",", paramLabel = "k=v", description = "Labels of this node, e.g. zone=a,gpu=a100.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--db-url", paramLabel = "postgresql://user:pass@host:port/db",
      description = "External PostgreSQL. Default: embedded PostgreSQL in <data-dir>/postgres.")
  String dbUrl;

  @Option(names = "--db-password-file", paramLabel = "path",
      description = "A file holding the password of --db-url's user, e.g. another local node's "
          + "<data-dir>/postgres_password (keeps it out of the URL and the process list).")
  Path dbPasswordFile;

  @Option(names = "--embedded-db-port", paramLabel = "port",
      description = "Port of the embedded PostgreSQL, which other local nodes may use; refused when in use (default: "
          + "the first free port from 54320 up, kept in <data-dir>/embedded_db_port for the next starts).")
  Integer embeddedDbPort;

  @Option(names = "--node-expiry", defaultValue = "600",
      description = "Seconds after which an unreachable node is removed from the node list (default: ${DEFAULT-VALUE}).")
  long nodeExpirySeconds;

  @Option(names = "--bootstrap-password", description = "Password of the first admin user (default: random, printed once).")
  String bootstrapPassword;

  @Option(names = "--http-instances", defaultValue = "0",
      description = "Event-loop instances serving HTTP (default: one per core).")
  int httpInstances;

  @Option(names = "--engine-ports", defaultValue = "40000-40999",
      description = "Port range for the engines this node launches (default: ${DEFAULT-VALUE}).")
  String enginePorts;

  @Option(names = "--llama-server", defaultValue = "llama-server",
      description = "The llama.cpp server executable for backend 'llama.cpp' (default: ${DEFAULT-VALUE} from PATH).")
  String llamaServer;

  @Option(names = "--engines-dir",
      description = "Engine executables by backend and version: <dir>/vllm/0.11.2/bin/vllm, <dir>/sglang/<version>/bin/sglang,"
          + " <dir>/mindie/<version>/bin/mindieservice_daemon (default: none; PATH is searched as well).")
  Path enginesDir;

  @Option(names = "--socket-transport", defaultValue = "auto", paramLabel = "auto|io_uring|epoll|nio",
      description = "What carries the node's sockets: 'auto' takes io_uring where the kernel allows it, else epoll,"
          + " else Java NIO; a transport named is required, and the node refuses to start without it"
          + " (default: ${DEFAULT-VALUE}).")
  String socketTransport;

  /** The default of {@code --max-inference-body}, in MiB: Anthropic's request limit; OpenAI's audio uploads (25 MB) fit. */
  public static final String DEFAULT_MAX_INFERENCE_BODY_MIB = "32";

  @Option(names = "--max-inference-body", defaultValue = DEFAULT_MAX_INFERENCE_BODY_MIB, paramLabel = "MiB",
      description = "Largest body of an inference request (/v1) from a caller with a valid API key or session, in MiB:"
          + " images as base64, audio and image uploads, long prompts (default: ${DEFAULT-VALUE}; 1 to 1024). Everyone"
          + " else, and the /v2 API, is held to 1 MiB.")
  int maxInferenceBodyMib;

  @Option(names = "--engine-runtime", defaultValue = "process",
      description = "How vllm, sglang and mindie engines run: 'process' (executables on this machine) or 'container'"
          + " (an image per version through --container-runtime; default: ${DEFAULT-VALUE}).")
  String engineRuntime;

  @Option(names = "--container-runtime", defaultValue = "docker",
      description = "In container mode, the runtime's client: docker, podman (looked up on PATH) or an absolute path"
          + " (default: ${DEFAULT-VALUE}). Without it the node offers no container versions.")
  String containerRuntime;

  @Option(names = "--container-image", paramLabel = "backend:version=image",
      description = "In container mode, the image of a backend version, e.g. vllm:0.11.2=vllm/vllm-openai:v0.11.2"
          + " (repeatable; over the defaults vllm 0.27.1, sglang 0.5.15.post1 and mindie 2.3.0 from gpustack/runner).")
  Map<String, String> containerImages = new java.util.LinkedHashMap<>();

  @Option(names = "--reschedule-grace", defaultValue = "30",
      description = "Seconds a replica on an unreachable node waits before it is placed elsewhere (default: ${DEFAULT-VALUE}).")
  long rescheduleGraceSeconds;

  @Option(names = "--stop-timeout", defaultValue = "30",
      description = "Seconds a graceful stop (SIGTERM) may take to move this node's replicas to other nodes and finish "
          + "the requests in flight before its engines stop anyway (default: ${DEFAULT-VALUE}).")
  long stopTimeoutSeconds;

  @Option(names = "--oidc-issuer", paramLabel = "url",
      description = "OpenID Connect issuer for single sign-on, e.g. https://idp.example.com/realms/gantry (default: none, "
          + "local sign-in only).")
  String oidcIssuer;

  @Option(names = "--oidc-client-id", description = "Client id of this Gantry cluster at the OpenID Connect provider.")
  String oidcClientId;

  @Option(names = "--oidc-client-secret", description = "Client secret (none for a public client, which relies on PKCE alone).")
  String oidcClientSecret;

  @Option(names = "--external-url", paramLabel = "url",
      description = "Where browsers reach Gantry; the sign-in callback is <url>/auth/oidc/callback "
          + "(default: the scheme, host and port of each request, X-Forwarded-Proto/-Host/-Port included).")
  String externalUrl;

  @Option(names = "--oidc-admin-group", defaultValue = OidcConfig.DEFAULT_ADMIN_GROUP,
      description = "Users whose groups, roles or realm_access.roles claim holds this value sign in as admin "
          + "(default: ${DEFAULT-VALUE}).")
  String oidcAdminGroup;

  @Option(names = "--oidc-scopes", defaultValue = "openid profile email",
      description = "Scopes asked for at sign-in, separated by spaces or commas (default: ${DEFAULT-VALUE}).")
  String oidcScopes;

  @Option(names = "--cluster-secret", paramLabel = "secret",
      description = "The secret all nodes of this cluster share (at least 32 characters; prefer GANTRY_CLUSTER_SECRET "
          + "or --cluster-secret-file, which stay out of the process list). Default: kept in <data-dir>/cluster_secret, "
          + "generated by the first node of a cluster on a loopback address.")
  String clusterSecret;

  @Option(names = "--cluster-secret-file", paramLabel = "path", description = "A file holding the cluster secret.")
  Path clusterSecretFile;

  @Option(names = "--trusted-proxies", split = ",", paramLabel = "cidr",
      description = "Reverse proxies (IP addresses or CIDRs, e.g. 10.0.0.0/8) whose X-Forwarded-For header names the "
          + "client for sign-in throttling. Default: none; the header is ignored and the peer address counts.")
  List<String> trustedProxies = List.of();

  @Option(names = "--metrics-port", paramLabel = "port",
      description = "Serve Prometheus metrics on a listener of their own, without authentication (default: none; "
          + "/metrics on --port answers admins only).")
  Integer metricsPort;

  @Option(names = "--metrics-host", defaultValue = MetricsConfig.DEFAULT_HOST,
      description = "Address of the --metrics-port listener (default: ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(names = "--quota-time-zone", defaultValue = "UTC", paramLabel = "zone",
      description = "Time zone whose calendar days and months token quotas renew by, e.g. Europe/Berlin "
          + "(default: ${DEFAULT-VALUE}).")
  String quotaTimeZone;

  @Option(names = "--currency", defaultValue = "USD", paramLabel = "code",
      description = "Currency that model prices and cost budgets are in: three capital letters, e.g. EUR "
          + "(default: ${DEFAULT-VALUE}). Every node of a cluster should give the same.")
  String currency;

  @Option(names = "--hf-endpoint", paramLabel = "url",
      description = "Hugging Face endpoint for models that name no hub_endpoint, e.g. a mirror such as https://hf-mirror.com "
          + "(default: the HF_ENDPOINT variable, else https://huggingface.co).")
  String hfEndpoint;

  @Option(names = "--modelscope-endpoint", paramLabel = "url",
      description = "ModelScope endpoint for models that name no hub_endpoint (default: the MODELSCOPE_ENDPOINT variable, "
          + "else https://modelscope.cn).")
  String modelscopeEndpoint;

  @Option(names = "--catalog-url", split = ",", paramLabel = "url",
      description = "A catalog file (same shape as <data-dir>/catalog.d/*.json) fetched over http(s) at start and every "
          + "--catalog-refresh seconds; repeatable. A failed fetch keeps the last good copy and is reported in GET "
          + "/v2/catalog (default: none).")
  List<String> catalogUrls = List.of();

  @Option(names = "--catalog-refresh", defaultValue = "600",
      description = "Seconds between fetches of each --catalog-url (default: ${DEFAULT-VALUE}).")
  long catalogRefreshSeconds;

  private final Function<GantryConfig, Integer> runner;

  public StartCommand(Function<GantryConfig, Integer> runner) {
    this.runner = runner;
  }

  @Override
  public Integer call() {
    return runner.apply(toConfig());
  }

  public GantryConfig toConfig() {
    if (port < 1 || port > 65535 || clusterPort < 1 || clusterPort > 65535) {
      throw new IllegalArgumentException("--port and --cluster-port must be between 1 and 65535");
    }
    if (embeddedDbPort != null && (embeddedDbPort < 1 || embeddedDbPort > 65535)) {
      throw new IllegalArgumentException("--embedded-db-port must be between 1 and 65535, got " + embeddedDbPort);
    }
    PeerDiscovery.parse(join, clusterPort);
    return new GantryConfig(dataDir.toAbsolutePath().normalize(), host, port, clusterPort, List.copyOf(join),
        nodeName == null || nodeName.isBlank() ? hostname() : nodeName, Map.copyOf(labels),
        DatabaseUrl.withPasswordFile(dbUrl, dbPasswordFile),
        embeddedDbPort, Duration.ofSeconds(nodeExpirySeconds), bootstrapPassword,
        httpInstances > 0 ? httpInstances : Runtime.getRuntime().availableProcessors(),
        checkPorts(enginePorts), llamaServer,
        enginesDir == null ? null : enginesDir.toAbsolutePath().normalize(), Duration.ofSeconds(rescheduleGraceSeconds),
        Duration.ofSeconds(Math.max(0, stopTimeoutSeconds)), oidc(), secret(),
        List.copyOf(trustedProxies), metrics(), quotaZone(), currency(), containers(), sources(),
        SocketTransport.parse(socketTransport), inferenceBodyLimit());
  }

  private long inferenceBodyLimit() {
    if (maxInferenceBodyMib < 1 || maxInferenceBodyMib > 1024) {
      throw new IllegalArgumentException("--max-inference-body must be between 1 and 1024 (MiB), got " + maxInferenceBodyMib);
    }
    return (long) maxInferenceBodyMib << 20;
  }

  private String currency() {
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("--currency '" + currency + "' is no currency code; use three capital letters "
          + "such as USD or EUR");
    }
    return currency;
  }

  private ContainerConfig containers() {
    if (!engineRuntime.equals("process") && !engineRuntime.equals("container")) {
      throw new IllegalArgumentException("--engine-runtime is 'process' or 'container', got '" + engineRuntime + "'");
    }
    return new ContainerConfig(engineRuntime.equals("container"), containerRuntime, Map.copyOf(containerImages));
  }

  private java.time.ZoneId quotaZone() {
    try {
      return java.time.ZoneId.of(quotaTimeZone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("--quota-time-zone '" + quotaTimeZone + "' is no time zone; use a region id "
          + "such as UTC or Europe/Berlin");
    }
  }

  private SourcesConfig sources() {
    List<java.net.URI> urls = new java.util.ArrayList<>();
    for (String url : catalogUrls) {
      String checked = SourcesConfig.endpoint("--catalog-url", url);
      if (checked != null) {
        java.net.URI uri;
        try {
          uri = new java.net.URI(checked);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("--catalog-url '" + url + "' is not a valid URL: " + e.getMessage());
        }
        if (uri.getRawUserInfo() != null) {
          throw new IllegalArgumentException("--catalog-url must not carry a user or password ('" + uri.getHost()
              + "'): every signed-in user sees the URL in GET /v2/catalog and it is logged; publish the file where "
              + "the node may read it without credentials");
        }
        urls.add(uri);
      }
    }
    if (catalogRefreshSeconds < 1) {
      throw new IllegalArgumentException("--catalog-refresh must be at least 1 second, got " + catalogRefreshSeconds);
    }
    return new SourcesConfig(SourcesConfig.endpoint("--hf-endpoint", hfEndpoint),
        SourcesConfig.endpoint("--modelscope-endpoint", modelscopeEndpoint), List.copyOf(urls),
        Duration.ofSeconds(catalogRefreshSeconds));
  }

  private MetricsConfig metrics() {
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535 || metricsPort == port)) {
      throw new IllegalArgumentException("--metrics-port must be between 1 and 65535 and differ from --port, got "
          + metricsPort);
    }
    return new MetricsConfig(metricsHost, metricsPort);
  }

  private ClusterSecret secret() {
    if (blankToNull(clusterSecret) != null) {
      return ClusterSecret.of(clusterSecret);
    }
    if (clusterSecretFile != null) {
      try {
        return ClusterSecret.of(Files.readString(clusterSecretFile));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --cluster-secret-file " + clusterSecretFile + ": " + e.getMessage());
      }
    }
    return null;
  }

  private OidcConfig oidc() {
    String external = blankToNull(externalUrl);
    if (external != null) {
      if (!external.matches("https?://[^/?#]+(/[^?#]*)?")) {
        throw new IllegalArgumentException("--external-url expects an http(s) URL like https://gantry.example.com, got '"
            + external + "'");
      }
      external = external.replaceAll("/+$", "");
    }
    if (blankToNull(oidcIssuer) == null) {
      return new OidcConfig(null, null, null, external, oidcAdminGroup, OidcConfig.DEFAULT_SCOPES);
    }
    if (blankToNull(oidcClientId) == null) {
      throw new IllegalArgumentException("--oidc-issuer needs --oidc-client-id (GANTRY_OIDC_CLIENT_ID)");
    }
    List<String> scopes = Arrays.stream(oidcScopes.split("[\\s,]+")).filter(s -> !s.isBlank()).distinct().toList();
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException("--oidc-scopes must include 'openid', got '" + oidcScopes + "'");
    }
    return new OidcConfig(oidcIssuer.strip().replaceAll("/+$", ""), oidcClientId.strip(), blankToNull(oidcClientSecret),
        external, oidcAdminGroup, scopes);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String checkPorts(String range) {
    if (!range.matches("\\d{1,5}-\\d{1,5}")) {
      throw new IllegalArgumentException("--engine-ports expects a range like 40000-40999, got '" + range + "'");
    }
    return range;
  }


  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Arrays.stream(new String[] {System.getenv("HOSTNAME"), "gantry"}).filter(s -> s != null).findFirst().get();
    }
  }
}
