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
  /** model name → the autoscaler's last decisions (JSON array, newest first, at most 20). */
  public static final String AUTOSCALE_EVENTS = "gantry.autoscale-events";
  /** worker pool name → the pool reconciler's view: its instances and nodes, and why it cannot act (JSON). */
  public static final String POOL_STATUS = "gantry.pool-status";
  /** worker pool name → the pool reconciler's last decisions (JSON array, newest first, at most 50). */
  public static final String POOL_EVENTS = "gantry.pool-events";

  private ClusterMaps() {
  }
}
