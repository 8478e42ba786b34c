package dev.gantry.pool;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Alibaba Cloud ECS's OpenAPI (2014-05-26, RPC style, signature V3) as a Vert.x server on loopback, for the
 * official Tea SDK pointed at it: every call is {@code POST /?<parameters>} with the action in
 * {@code x-acs-action}. The {@code ACS3-HMAC-SHA256} signature is recomputed from the known secret (canonical
 * request of method, {@code /}, the RFC 3986 sorted query, the signed headers and the body's SHA-256) and must
 * match; an unknown key, a mismatch, a stale {@code x-acs-date} or a reused nonce are refused with ECS's codes.
 * Actions: RunInstances (VPC only: {@code VSwitchId} and a security group are required; idempotent by
 * {@code ClientToken}; the base64 {@code UserData} is decoded and handed to {@code onCreate} with the
 * {@code InstanceName}), DescribeInstances ({@code Tag.N} and {@code InstanceIds} filters,
 * {@code MaxResults}/{@code NextToken} pages; Pending turns Running once seen), DeleteInstance (a running
 * instance needs {@code Force=true}; unknown ids are {@code InvalidInstanceId.NotFound}). A type in
 * {@link #outOfStock} answers {@code OperationDenied.NoStock}; failures can be scripted per action, also
 * after the action took effect (a lost answer).
 */
public final class FakeEcs implements AutoCloseable {

  /** A scripted error for {@code action}; with {@code afterEffect} the action happens, then the error is answered. */
  record Failure(String action, int status, String code, String message, boolean afterEffect) {
  }

  static final class EcsInstance {
    final String id;
    final String name;
    final Map<String, String> params;
    final Map<String, String> tags;
    final String userData;
    final Instant created = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    String status = "Pending";

    EcsInstance(String id, Map<String, String> params, Map<String, String> tags, String userData) {
      this.id = id;
      this.name = params.get("InstanceName");
      this.params = Map.copyOf(params);
      this.tags = tags;
      this.userData = userData;
    }
  }

  final Map<String, EcsInstance> instances = new LinkedHashMap<>();
  final List<String> actions = new ArrayList<>();
  final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
  final Set<String> outOfStock = ConcurrentHashMap.newKeySet();
  volatile int pageSize = 100;
  private final Map<String, String> clientTokens = new HashMap<>();
  private final Set<String> nonces = new HashSet<>();
  private final String accessKeyId;
  private final String secret;
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private final BiConsumer<String, String> onCreate;
  private final Consumer<String> onDelete;
  private final HttpServer server;

  private FakeEcs(Vertx vertx, String accessKeyId, String secret, BiConsumer<String, String> onCreate,
      Consumer<String> onDelete) {
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.onCreate = onCreate;
    this.onDelete = onDelete;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  public static FakeEcs start(Vertx vertx, String accessKeyId, String secret, BiConsumer<String, String> onCreate,
      Consumer<String> onDelete) {
    FakeEcs fake = new FakeEcs(vertx, accessKeyId, secret, onCreate, onDelete);
    fake.server.listen(0, "127.0.0.1").await();
    return fake;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  synchronized List<EcsInstance> tagged(String key, String value) {
    return instances.values().stream().filter(i -> value.equals(i.tags.get(key))).toList();
  }

  public synchronized long count(String action) {
    return actions.stream().filter(action::equals).count();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      synchronized (this) {
        Map<String, String> query = query(request.query());
        String[] refusal = AcsSignature.check(request, query, body.getBytes(), accessKeyId, secret, nonces);
        if (refusal != null) {
          error(request, Integer.parseInt(refusal[0]), refusal[1], refusal[2]);
          return;
        }
        String action = request.getHeader("x-acs-action");
        actions.add(action);
        Failure failure = failures.peek();
        if (failure != null && failure.action().equals(action)) {
          failures.poll();
          if (!failure.afterEffect()) {
            error(request, failure.status(), failure.code(), failure.message());
            return;
          }
          act(request, action, query, true);
          error(request, failure.status(), failure.code(), failure.message());
          return;
        }
        act(request, action, query, false);
      }
    });
  }

  private void act(HttpServerRequest request, String action, Map<String, String> query, boolean silent) {
    JsonObject answer = switch (action) {
      case "RunInstances" -> run(query);
      case "DescribeInstances" -> describe(query);
      case "DeleteInstance" -> delete(query);
      default -> new JsonObject().put("status", 404).put("Code", "InvalidAction.NotFound")
          .put("Message", "Specified api is not found, please check your url and method.");
    };
    if (silent) {
      return;
    }
    if (answer.containsKey("status")) {
      error(request, answer.getInteger("status"), answer.getString("Code"), answer.getString("Message"));
    } else {
      request.response().putHeader("Content-Type", "application/json;charset=utf-8").end(answer.put("RequestId",
          "req-" + actions.size()).encode());
    }
  }

  private JsonObject run(Map<String, String> q) {
    String existing = q.get("ClientToken") == null ? null : clientTokens.get(q.get("ClientToken"));
    if (existing == null) {
      for (String needed : List.of("RegionId", "ImageId", "InstanceType", "VSwitchId")) {
        if (q.get(needed) == null) {
          return failure(400, "MissingParameter", "The input parameter \"" + needed
              + "\" that is mandatory for processing this request is not supplied.");
        }
      }
      if (q.get("SecurityGroupId") == null && q.get("SecurityGroupIds.1") == null) {
        return failure(400, "MissingParameter", "The input parameter \"SecurityGroupId\" that is mandatory for processing"
            + " this request is not supplied.");
      }
      if (outOfStock.contains(q.get("InstanceType"))) {
        return failure(403, "OperationDenied.NoStock", "The requested resource is sold out in the specified zone; try "
            + "other types of resources or other regions and zones.");
      }
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 1; q.containsKey("Tag." + i + ".Key"); i++) {
        tags.put(q.get("Tag." + i + ".Key"), q.get("Tag." + i + ".Value"));
      }
      String userData = new String(Base64.getDecoder().decode(q.get("UserData")), StandardCharsets.UTF_8);
      EcsInstance instance = new EcsInstance("i-bp" + Long.toString(ids.incrementAndGet(), 36), q, tags, userData);
      instances.put(instance.id, instance);
      existing = instance.id;
      if (q.get("ClientToken") != null) {
        clientTokens.put(q.get("ClientToken"), instance.id);
      }
      onCreate.accept(instance.name, userData);
    }
    return new JsonObject().put("OrderId", "1234567890").put("TradePrice", 0.165)
        .put("InstanceIdSets", new JsonObject().put("InstanceIdSet", new JsonArray().add(existing)));
  }

  private JsonObject describe(Map<String, String> q) {
    List<EcsInstance> matching = new ArrayList<>(instances.values());
    for (int t = 1; q.containsKey("Tag." + t + ".Key"); t++) {
      String key = q.get("Tag." + t + ".Key");
      String value = q.get("Tag." + t + ".Value");
      matching.removeIf(i -> value == null ? !i.tags.containsKey(key) : !value.equals(i.tags.get(key)));
    }
    if (q.containsKey("InstanceIds")) {
      List<Object> wanted = new JsonArray(q.get("InstanceIds")).getList();
      matching.removeIf(i -> !wanted.contains(i.id));
    }
    int from = q.containsKey("NextToken") ? Integer.parseInt(q.get("NextToken")) : 0;
    int size = Math.min(pageSize, Integer.parseInt(q.getOrDefault("MaxResults", "10")));
    JsonArray out = new JsonArray();
    matching.stream().skip(from).limit(size).forEach(i -> out.add(json(i)));
    matching.forEach(i -> i.status = "Running");
    return new JsonObject().put("TotalCount", matching.size()).put("PageSize", size)
        .put("NextToken", from + size < matching.size() ? String.valueOf(from + size) : "")
        .put("Instances", new JsonObject().put("Instance", out));
  }

  private JsonObject delete(Map<String, String> q) {
    EcsInstance instance = instances.get(q.get("InstanceId"));
    if (instance == null) {
      return failure(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
    }
    if (!instance.status.equals("Stopped") && !"true".equals(q.get("Force"))) {
      return failure(403, "IncorrectInstanceStatus", "The current status of the resource does not support this operation.");
    }
    instances.remove(instance.id);
    onDelete.accept(instance.name);
    return new JsonObject();
  }

  private static JsonObject json(EcsInstance i) {
    JsonArray tags = new JsonArray();
    i.tags.forEach((k, v) -> tags.add(new JsonObject().put("TagKey", k).put("TagValue", v)));
    return new JsonObject().put("InstanceId", i.id).put("InstanceName", i.name).put("Status", i.status)
        .put("InstanceType", i.params.get("InstanceType")).put("RegionId", i.params.get("RegionId"))
        .put("ZoneId", i.params.getOrDefault("ZoneId", "cn-hangzhou-i")).put("ImageId", i.params.get("ImageId"))
        .put("CreationTime", i.created.toString().replace(":00Z", "Z"))
        .put("VpcAttributes", new JsonObject().put("VSwitchId", i.params.get("VSwitchId"))
            .put("PrivateIpAddress", new JsonObject().put("IpAddress", new JsonArray().add("172.16.0.5"))))
        .put("PublicIpAddress", new JsonObject().put("IpAddress", new JsonArray()))
        .put("Tags", new JsonObject().put("Tag", tags));
  }

  private static JsonObject failure(int status, String code, String message) {
    return new JsonObject().put("status", status).put("Code", code).put("Message", message);
  }

  private static void error(HttpServerRequest request, int status, String code, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json;charset=utf-8")
        .end(new JsonObject().put("RequestId", "req-err").put("HostId", "ecs.aliyuncs.com").put("Code", code)
            .put("Message", message).put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + code).encode());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new TreeMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!key.isEmpty()) {
        out.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.close().await();
  }
}
