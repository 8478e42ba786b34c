package dev.gantry.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One gateway request's usage, as the gateway fixes it and as {@code usage_records} keeps it: the one
 * place its fields are spelled. {@code id} is the gateway's own per-request id (inserts are idempotent
 * on it); {@code requestId} is the caller's {@code X-Request-Id}. {@code model} is null when the request
 * named none (a body that was no JSON object, or had no {@code "model"} string). {@code outcome} is
 * {@code ok} (answered below 400), {@code error} (a 4xx or 5xx, or a stream that broke) or {@code cancelled}
 * (the client went away first; status 499). {@code cost} is in the node's currency, at the prices of the
 * name called; null when that name has no prices.
 */
public record UsageRecord(String id, String requestId, Instant createdAt, long userId, String username, String apiKeyId,
    String model, String instanceId, String nodeName, String gatewayNode, String operation, int promptTokens,
    int completionTokens, long durationMs, Long ttftMs, int status, String outcome, Double cost) {

  /** A record without a cost (the name called has no prices). */
  public UsageRecord(String id, String requestId, Instant createdAt, long userId, String username, String apiKeyId,
      String model, String instanceId, String nodeName, String gatewayNode, String operation, int promptTokens,
      int completionTokens, long durationMs, Long ttftMs, int status, String outcome) {
    this(id, requestId, createdAt, userId, username, apiKeyId, model, instanceId, nodeName, gatewayNode, operation,
        promptTokens, completionTokens, durationMs, ttftMs, status, outcome, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("request_id", requestId)
        .put("created_at", createdAt.toString())
        .put("user_id", userId)
        .put("username", username)
        .put("api_key_id", apiKeyId)
        .put("model", model)
        .put("instance_id", instanceId)
        .put("node_name", nodeName)
        .put("gateway_node", gatewayNode)
        .put("operation", operation)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("duration_ms", durationMs)
        .put("ttft_ms", ttftMs)
        .put("status", status)
        .put("outcome", outcome)
        .put("cost", cost);
  }

  /** The record {@link #toJson} wrote; a missing or mistyped field throws (the caller skips the record). */
  public static UsageRecord fromJson(JsonObject json) {
    return new UsageRecord(json.getString("id"), json.getString("request_id"), Instant.parse(json.getString("created_at")),
        json.getLong("user_id"), json.getString("username"), json.getString("api_key_id"), json.getString("model"),
        json.getString("instance_id"), json.getString("node_name"), json.getString("gateway_node"),
        json.getString("operation"), json.getInteger("prompt_tokens", 0), json.getInteger("completion_tokens", 0),
        json.getLong("duration_ms", 0L), json.getLong("ttft_ms"), json.getInteger("status"), json.getString("outcome"),
        json.getDouble("cost"));
  }
}
