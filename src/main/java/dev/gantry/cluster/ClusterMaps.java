package dev.gantry.cluster;

/** Names of the Hazelcast maps that hold live, cluster-wide state. */
public final class ClusterMaps {

  /** node name → node record (JSON string), refreshed by each node's agent. */
  public static final String NODES = "gantry.nodes";
  /** node name → {labels, maintenance} as set through the API (persisted in PostgreSQL too). */
  public static final String NODE_SETTINGS = "gantry.node-settings";
  /** user id → {id, username, role, active}: read model for authentication without the database. */
  public static final String USERS = "gantry.users";
  /** api key public id → key record with the secret's hash: read model for the data plane. */
  public static final String API_KEYS = "gantry.api-keys";
  /** "user:&lt;name&gt;" or "addr:&lt;ip&gt;" → failed login count, expiring. */
  public static final String LOGIN_FAILURES = "gantry.login-failures";
  /** SHA-256 of a session cookie → {user_id, issued_at, id_token}; max-idle 12 h. Never the cookie value itself. */
  public static final String SESSIONS = "gantry.sessions";
  /** OIDC {@code state} → the sign-in it started (PKCE verifier, nonce, callback and return path), expiring. */
  public static final String OIDC_LOGINS = "gantry.oidc-logins";
  /** model name → model (deployment spec with id and timestamps): read model of the models table. */
  public static final String MODELS = "gantry.models";
  /** instance id → model instance (placement, address, port, state, message, restart count). */
  public static final String INSTANCES = "gantry.instances";
  /** "&lt;node&gt;/&lt;instance id&gt;" → {node, instance_id, in_flight}: each node's outstanding gateway requests, expiring. */
  public static final String INSTANCE_LOAD = "gantry.instance-load";
  /** "&lt;node&gt;/&lt;model&gt;" → {node, model, requests, waiting}: each node's gateway demand per model, expiring. */
  public static final String MODEL_DEMAND = "gantry.model-demand";
  /**
   * instance id → {node, model, instance, backend, at, requests_running, requests_waiting, kv_cache_usage_ratio, ...}:
   * each engine's latest normalized metrics, written by its node's engine-metrics scraper, expiring.
   */
  public static final String ENGINE_LOAD = "gantry.engine-load";
  /** model name → the autoscaler's last decisions (JSON array, newest first, at most 20). */
  public static final String AUTOSCALE_EVENTS = "gantry.autoscale-events";
  /** route name → route (targets, fallbacks, triggers): read model of the routes table, so routing needs no database. */
  public static final String ROUTES = "gantry.routes";
  /** provider name → provider with its credentials sealed ({@link SecretBox}), never in clear. */
  public static final String PROVIDERS = "gantry.providers";
  /** group id → group {id, name, members, allowed_models, limits}: read model of the groups table. */
  public static final String GROUPS = "gantry.groups";
  /** model or route name → its limits: read model of the name_limits table. */
  public static final String NAME_LIMITS = "gantry.name-limits";
  /** node name → that node's rate counts {subject: [window start, requests, tokens, in flight]}, expiring. */
  public static final String RATE_COUNTS = "gantry.rate-counts";
  /** "&lt;subject&gt;|d&lt;date&gt;" or "|m&lt;month&gt;" → tokens used in that quota period, expiring after it. */
  public static final String QUOTA_USAGE = "gantry.quota-usage";

  /** alert rule id → rule: read model of the alert_rules table. */
  public static final String ALERT_RULES = "gantry.alert-rules";
  /** receiver id → webhook receiver with its URL sealed ({@code SecretBox}): read model of alert_receivers. */
  public static final String ALERT_RECEIVERS = "gantry.alert-receivers";
  /** "&lt;rule id&gt;/&lt;subject&gt;" → alert (pending, firing, resolved), written by the leader's evaluation. */
  public static final String ALERTS = "gantry.alerts";
  /** node name → the devices it listed since it started, for the "device vanished" rule. */
  public static final String ALERT_DEVICES = "gantry.alert-devices";
  /** "&lt;alert&gt;|&lt;status&gt;|&lt;at&gt;|&lt;receiver&gt;" → a webhook delivery not yet made (attempts, next try). */
  public static final String ALERT_OUTBOX = "gantry.alert-outbox";
  /** "&lt;node&gt;/&lt;model&gt;" → the gateway's last 5 minutes of a model (requests, 5xx, TTFT histogram), expiring. */
  public static final String MODEL_HEALTH = "gantry.model-health";
  /** worker pool name → the pool reconciler's view: its instances and nodes, and why it cannot act (JSON). */
  public static final String POOL_STATUS = "gantry.pool-status";
  /** worker pool name → the pool reconciler's last decisions (JSON array, newest first, at most 50). */
  public static final String POOL_EVENTS = "gantry.pool-events";

  private ClusterMaps() {
  }
}
