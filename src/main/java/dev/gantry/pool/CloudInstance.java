package dev.gantry.pool;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * One instance as its cloud reports it.
 *
 * @param status the cloud's own word (DigitalOcean {@code new}/{@code active}, EC2 {@code pending}/{@code running}, …)
 * @param privateIp null while the cloud has not assigned one
 */
public record CloudInstance(String id, String name, String instanceType, String status, String privateIp,
    Map<String, String> tags, Instant createdAt) {

  public CloudInstance {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("instance_type", instanceType).put("status", status)
        .put("private_ip", privateIp).put("created_at", createdAt == null ? null : createdAt.toString());
  }
}
