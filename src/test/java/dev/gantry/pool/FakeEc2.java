package dev.gantry.pool;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * EC2's Query API (2016-11-15) as a Vert.x server on loopback, for the real SDK pointed at it: every call is
 * {@code POST /} with a form body; the SigV4 signature is recomputed from the known secret and must match,
 * with the scope {@code <key>/<date>/<region>/ec2/aws4_request} (else 401 {@code AuthFailure}). Answers are
 * the XML shapes of the reference: RunInstances (idempotent by {@code ClientToken}; the base64 UserData is
 * decoded and handed to {@code onCreate} with the {@code Name} tag; {@code SubnetId} and {@code SecurityGroupId.N}
 * are kept on the instance), DescribeInstances (tag and state
 * filters, {@code MaxResults}/{@code NextToken} pages), TerminateInstances ({@code InvalidInstanceID.NotFound}
 * for an unknown id). A type in {@link #outOfCapacity} answers {@code InsufficientInstanceCapacity}; failures
 * can be scripted per action.
 */
final class FakeEc2 implements AutoCloseable {

  record Failure(String action, int status, String code, String message) {
  }

  record Ec2Instance(String id, String type, Map<String, String> tags, Instant launched, String userData, String[] state,
      String subnetId, List<String> securityGroupIds) {
  }

  final Map<String, Ec2Instance> instances = new LinkedHashMap<>();
  final Map<String, String> clientTokens = new HashMap<>();
  final List<String> actions = new ArrayList<>();
  final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
  final Set<String> outOfCapacity = ConcurrentHashMap.newKeySet();
  volatile int pageSize = 1000;
  private final String accessKey;
  private final String secretKey;
  private final String region;
  private final AtomicLong ids = new AtomicLong(0x0123456789abcL);
  private final BiConsumer<String, String> onCreate;
  private final Consumer<String> onDelete;
  private final HttpServer server;

  private FakeEc2(Vertx vertx, String accessKey, String secretKey, String region, BiConsumer<String, String> onCreate,
      Consumer<String> onDelete) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.region = region;
    this.onCreate = onCreate;
    this.onDelete = onDelete;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  static FakeEc2 start(Vertx vertx, String accessKey, String secretKey, String region, BiConsumer<String, String> onCreate,
      Consumer<String> onDelete) {
    FakeEc2 fake = new FakeEc2(vertx, accessKey, secretKey, region, onCreate, onDelete);
    fake.server.listen(0, "127.0.0.1").await();
    return fake;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  synchronized List<Ec2Instance> live(String tagKey, String tagValue) {
    return instances.values().stream().filter(i -> tagValue.equals(i.tags().get(tagKey)) && !i.state()[1].equals("terminated"))
        .toList();
  }

  synchronized long count(String action) {
    return actions.stream().filter(action::equals).count();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      synchronized (this) {
        String problem = signatureProblem(request, body.getBytes());
        if (problem != null) {
          error(request, 401, "AuthFailure", problem);
          return;
        }
        Map<String, String> form = form(body.toString(StandardCharsets.UTF_8));
        String action = form.get("Action");
        actions.add(action);
        Failure failure = failures.peek();
        if (failure != null && failure.action().equals(action)) {
          failures.poll();
          error(request, failure.status(), failure.code(), failure.message());
          return;
        }
        switch (action) {
          case "RunInstances" -> run(request, form);
          case "DescribeInstances" -> describe(request, form);
          case "TerminateInstances" -> terminate(request, form);
          default -> error(request, 400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
      }
    });
  }

  private String signatureProblem(HttpServerRequest request, byte[] body) {
    String authorization = request.getHeader("Authorization");
    String amzDate = request.getHeader("X-Amz-Date");
    if (authorization == null || amzDate == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      return "missing AWS4-HMAC-SHA256 authorization";
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",\\s*")) {
      int eq = part.indexOf('=');
      parts.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String scope = amzDate.substring(0, 8) + "/" + region + "/ec2/aws4_request";
    if (!(accessKey + "/" + scope).equals(parts.get("Credential"))) {
      return "credential scope " + parts.get("Credential") + " is not " + accessKey + "/" + scope;
    }
    StringBuilder canonical = new StringBuilder("POST\n/\n\n");
    for (String header : parts.get("SignedHeaders").split(";")) {
      canonical.append(header).append(':').append(request.getHeader(header).trim().replaceAll(" +", " ")).append('\n');
    }
    canonical.append('\n').append(parts.get("SignedHeaders")).append('\n').append(hex(sha256(body)));
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    key = hmac(hmac(hmac(key, region), "ec2"), "aws4_request");
    return hex(hmac(key, toSign)).equals(parts.get("Signature")) ? null
        : "The request signature we calculated does not match the signature you provided.";
  }

  private void run(HttpServerRequest request, Map<String, String> form) {
    String token = form.get("ClientToken");
    Ec2Instance instance = token == null ? null : instances.get(clientTokens.get(token));
    if (instance == null) {
      if (outOfCapacity.contains(form.get("InstanceType"))) {
        error(request, 500, "InsufficientInstanceCapacity", "We currently do not have sufficient " + form.get("InstanceType")
            + " capacity in the Availability Zone you requested.");
        return;
      }
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 1; form.containsKey("TagSpecification.1.Tag." + i + ".Key"); i++) {
        tags.put(form.get("TagSpecification.1.Tag." + i + ".Key"), form.get("TagSpecification.1.Tag." + i + ".Value"));
      }
      String userData = new String(Base64.getDecoder().decode(form.get("UserData")), StandardCharsets.UTF_8);
      String id = "i-0" + Long.toHexString(ids.incrementAndGet());
      List<String> groups = new ArrayList<>();
      for (int i = 1; form.containsKey("SecurityGroupId." + i); i++) {
        groups.add(form.get("SecurityGroupId." + i));
      }
      instance = new Ec2Instance(id, form.get("InstanceType"), tags, Instant.now(), userData, new String[] {"0", "pending"},
          form.get("SubnetId"), groups);
      instances.put(id, instance);
      if (token != null) {
        clientTokens.put(token, id);
      }
      onCreate.accept(tags.get("Name"), userData);
    }
    xml(request, "<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-run</requestId>"
        + "<reservationId>r-0abc</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>" + item(instance)
        + "</instancesSet></RunInstancesResponse>");
  }

  private void describe(HttpServerRequest request, Map<String, String> form) {
    List<Ec2Instance> matching = new ArrayList<>(instances.values());
    for (int f = 1; form.containsKey("Filter." + f + ".Name"); f++) {
      String name = form.get("Filter." + f + ".Name");
      List<String> values = new ArrayList<>();
      for (int v = 1; form.containsKey("Filter." + f + ".Value." + v); v++) {
        values.add(form.get("Filter." + f + ".Value." + v));
      }
      matching.removeIf(i -> name.startsWith("tag:") ? !values.contains(i.tags().get(name.substring(4)))
          : name.equals("instance-state-name") && !values.contains(i.state()[1]));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; form.containsKey("InstanceId." + i); i++) {
      ids.add(form.get("InstanceId." + i));
    }
    if (!ids.isEmpty()) {
      String unknown = ids.stream().filter(id -> !instances.containsKey(id)).findFirst().orElse(null);
      if (unknown != null) {
        error(request, 400, "InvalidInstanceID.NotFound", "The instance ID '" + unknown + "' does not exist");
        return;
      }
      matching.removeIf(i -> !ids.contains(i.id()));
    }
    int from = form.containsKey("NextToken") ? Integer.parseInt(form.get("NextToken")) : 0;
    int size = Math.min(pageSize, Integer.parseInt(form.getOrDefault("MaxResults", "1000")));
    StringBuilder out = new StringBuilder("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
        + "<requestId>r-describe</requestId><reservationSet>");
    matching.stream().skip(from).limit(size).forEach(i -> out.append("<item><reservationId>r-").append(i.id())
        .append("</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>").append(item(i))
        .append("</instancesSet></item>"));
    out.append("</reservationSet>");
    if (from + size < matching.size()) {
      out.append("<nextToken>").append(from + size).append("</nextToken>");
    }
    xml(request, out.append("</DescribeInstancesResponse>").toString());
  }

  private void terminate(HttpServerRequest request, Map<String, String> form) {
    Ec2Instance instance = instances.get(form.get("InstanceId.1"));
    if (instance == null) {
      error(request, 400, "InvalidInstanceID.NotFound", "The instance ID '" + form.get("InstanceId.1") + "' does not exist");
      return;
    }
    String[] before = instance.state().clone();
    instance.state()[0] = "48";
    instance.state()[1] = "terminated";
    onDelete.accept(instance.tags().get("Name"));
    xml(request, "<TerminateInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-term</requestId>"
        + "<instancesSet><item><instanceId>" + instance.id() + "</instanceId><currentState><code>32</code><name>shutting-down"
        + "</name></currentState><previousState><code>" + before[0] + "</code><name>" + before[1] + "</name></previousState>"
        + "</item></instancesSet></TerminateInstancesResponse>");
  }

  private static String item(Ec2Instance i) {
    StringBuilder tags = new StringBuilder("<tagSet>");
    i.tags().forEach((k, v) -> tags.append("<item><key>").append(k).append("</key><value>").append(v).append("</value></item>"));
    return "<item><instanceId>" + i.id() + "</instanceId><imageId>ami-1</imageId><instanceState><code>" + i.state()[0]
        + "</code><name>" + i.state()[1] + "</name></instanceState><instanceType>" + i.type() + "</instanceType><launchTime>"
        + i.launched() + "</launchTime><privateIpAddress>10.0.0.5</privateIpAddress>"
        + (i.subnetId() == null ? "" : "<subnetId>" + i.subnetId() + "</subnetId>") + tags + "</tagSet></item>";
  }

  private static void xml(HttpServerRequest request, String body) {
    request.response().putHeader("Content-Type", "text/xml;charset=UTF-8").end(body);
  }

  private static void error(HttpServerRequest request, int status, String code, String message) {
    request.response().setStatusCode(status);
    xml(request, "<Response><Errors><Error><Code>" + code
        + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>r-err</RequestID></Response>");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    server.close().await();
  }
}
