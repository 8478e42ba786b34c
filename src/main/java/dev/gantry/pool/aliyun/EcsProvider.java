package dev.gantry.pool.aliyun;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.DeleteInstanceRequest;
import com.aliyun.ecs20140526.models.DescribeInstancesRequest;
import com.aliyun.ecs20140526.models.DescribeInstancesResponseBody;
import com.aliyun.ecs20140526.models.DescribeInstancesResponseBody.DescribeInstancesResponseBodyInstancesInstance;
import com.aliyun.ecs20140526.models.RunInstancesRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teautil.models.RuntimeOptions;
import dev.gantry.pool.CloudException;
import dev.gantry.pool.CloudInstance;
import dev.gantry.pool.CloudProvider;
import dev.gantry.pool.InstanceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Alibaba Cloud ECS (API 2014-05-26) through the official Tea SDK ({@code com.aliyun:ecs20140526}, which signs
 * with ACS3-HMAC-SHA256), called on a worker thread. Instances are pay-as-you-go, in the pool's vSwitch and
 * security groups, with no public address (nodes join over the VPC); the name is the ECS
 * {@code InstanceName}; create is idempotent by {@code ClientToken}; delete is {@code DeleteInstance} with
 * {@code Force=true}. The SDK does not retry (the reconciler's backoff does). Error codes map to
 * {@link CloudException} kinds: capacity ({@code OperationDenied.NoStock}, {@code InvalidResourceType.NotSupported},
 * {@code Zone.NotOnSale}), throttled ({@code Throttling*}), not found ({@code InvalidInstanceId.NotFound}),
 * not yet deletable ({@code IncorrectInstanceStatus*}) and 5xx unavailable, the rest refused with Aliyun's words.
 */
public final class EcsProvider implements CloudProvider {

  static final Set<String> CAPACITY = Set.of("OperationDenied.NoStock", "InvalidResourceType.NotSupported",
      "Zone.NotOnSale");
  static final String NOT_FOUND = "InvalidInstanceId.NotFound";
  private static final int CONNECT_MS = 10_000;
  private static final int READ_MS = 30_000;

  private final Vertx vertx;
  private final String region;
  private final Client ecs;

  public EcsProvider(Vertx vertx, String endpoint, String region, String accessKeyId, String accessKeySecret) {
    this.vertx = vertx;
    this.region = region;
    Config config = new Config().setAccessKeyId(accessKeyId).setAccessKeySecret(accessKeySecret).setRegionId(region)
        .setConnectTimeout(CONNECT_MS).setReadTimeout(READ_MS);
    if (endpoint != null) {
      URI uri = URI.create(endpoint);
      config.setEndpoint(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort())
          .setProtocol(uri.getScheme().toUpperCase());
    }
    try {
      this.ecs = new Client(config);
    } catch (Exception e) {
      throw new CloudException(CloudException.Kind.REFUSED, "config", "Alibaba Cloud client: " + e.getMessage());
    }
  }

  @Override
  public Future<CloudInstance> create(InstanceSpec spec, String idempotencyKey) {
    List<RunInstancesRequest.RunInstancesRequestTag> tags = new ArrayList<>();
    spec.tags().forEach((k, v) -> tags.add(new RunInstancesRequest.RunInstancesRequestTag().setKey(k).setValue(v)));
    RunInstancesRequest request = new RunInstancesRequest().setRegionId(region).setZoneId(spec.zone())
        .setImageId(spec.image()).setInstanceType(spec.instanceType()).setAmount(1).setInstanceName(spec.name())
        .setInstanceChargeType("PostPaid").setInternetMaxBandwidthOut(0).setClientToken(idempotencyKey)
        .setVSwitchId(spec.subnetId()).setSecurityGroupIds(spec.securityGroupIds().isEmpty() ? null : spec.securityGroupIds())
        .setUserData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8))).setTag(tags);
    if (spec.diskGb() > 0) {
      request.setSystemDisk(new RunInstancesRequest.RunInstancesRequestSystemDisk().setSize(String.valueOf(spec.diskGb())));
    }
    return call(() -> {
      List<String> ids = ecs.runInstancesWithOptions(request, runtime()).getBody().getInstanceIdSets().getInstanceIdSet();
      return new CloudInstance(ids.get(0), spec.name(), spec.instanceType(), "Pending", null, spec.tags(), Instant.now());
    });
  }

  @Override
  public Future<CloudInstance> get(String id) {
    return call(() -> {
      DescribeInstancesRequest request = new DescribeInstancesRequest().setRegionId(region)
          .setInstanceIds(new JsonArray().add(id).encode());
      return describe(request).stream().findFirst().orElse(null);
    });
  }

  @Override
  public Future<List<CloudInstance>> listByTags(Map<String, String> tags) {
    return call(() -> {
      List<DescribeInstancesRequest.DescribeInstancesRequestTag> filter = new ArrayList<>();
      tags.forEach((k, v) -> filter.add(new DescribeInstancesRequest.DescribeInstancesRequestTag().setKey(k).setValue(v)));
      return describe(new DescribeInstancesRequest().setRegionId(region).setTag(filter));
    });
  }

  private List<CloudInstance> describe(DescribeInstancesRequest request) throws Exception {
    List<CloudInstance> out = new ArrayList<>();
    String token = null;
    do {
      DescribeInstancesResponseBody page = ecs.describeInstancesWithOptions(request.setMaxResults(100).setNextToken(token),
          runtime()).getBody();
      if (page.getInstances() != null && page.getInstances().getInstance() != null) {
        page.getInstances().getInstance().forEach(i -> out.add(instance(i)));
      }
      token = page.getNextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  @Override
  public Future<Void> delete(String id) {
    return call(() -> {
      try {
        ecs.deleteInstanceWithOptions(new DeleteInstanceRequest().setInstanceId(id).setForce(true), runtime());
      } catch (TeaException e) {
        if (!NOT_FOUND.equals(e.getCode())) {
          throw e;
        }
      }
      return null;
    });
  }

  private static RuntimeOptions runtime() {
    return new RuntimeOptions().setAutoretry(false).setConnectTimeout(CONNECT_MS).setReadTimeout(READ_MS);
  }

  private <T> Future<T> call(Callable<T> work) {
    return vertx.executeBlocking(() -> {
      try {
        return work.call();
      } catch (TeaException e) {
        throw translate(e);
      } catch (CloudException e) {
        throw e;
      } catch (Exception e) {
        throw new CloudException(CloudException.Kind.UNAVAILABLE, "connection", "ECS API unreachable: " + e.getMessage());
      }
    }, false);
  }

  static CloudException translate(TeaException e) {
    Map<String, Object> data = e.getData() == null ? Map.of() : e.getData();
    int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
    String code = e.getCode() == null ? "http_" + status : e.getCode();
    String message = data.get("Message") instanceof String words ? words : e.getMessage();
    CloudException.Kind kind = CAPACITY.contains(code) ? CloudException.Kind.CAPACITY
        : code.startsWith("Throttling") ? CloudException.Kind.THROTTLED
        : NOT_FOUND.equals(code) ? CloudException.Kind.NOT_FOUND
        : status >= 500 || code.startsWith("IncorrectInstanceStatus") ? CloudException.Kind.UNAVAILABLE
        : CloudException.Kind.REFUSED;
    Object requestId = data.get("RequestId");
    return new CloudException(kind, code, message + (requestId == null ? "" : " (request " + requestId + ")"));
  }

  static CloudInstance instance(DescribeInstancesResponseBodyInstancesInstance i) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (i.getTags() != null && i.getTags().getTag() != null) {
      i.getTags().getTag().forEach(t -> tags.put(t.getTagKey(), t.getTagValue()));
    }
    List<String> ips = i.getVpcAttributes() == null || i.getVpcAttributes().getPrivateIpAddress() == null ? null
        : i.getVpcAttributes().getPrivateIpAddress().getIpAddress();
    return new CloudInstance(i.getInstanceId(), i.getInstanceName(), i.getInstanceType(), i.getStatus(),
        ips == null || ips.isEmpty() ? null : ips.get(0), tags, created(i.getCreationTime()));
  }

  /** ECS writes creation times as {@code 2026-11-30T12:00Z} (minutes) or with seconds. */
  private static Instant created(String time) {
    if (time == null || time.isEmpty()) {
      return null;
    }
    return OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }
}
