package dev.gantry.pool.aws;

import dev.gantry.pool.CloudException;
import dev.gantry.pool.CloudInstance;
import dev.gantry.pool.CloudProvider;
import dev.gantry.pool.InstanceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * AWS EC2 through the official SDK v2 ({@code Ec2Client} with the JDK URL connection client, called on a
 * worker thread: cloud calls are rare and slow). The instance's name is its {@code Name} tag; create is
 * idempotent by {@code ClientToken}; the pool's subnet and security groups go as {@code SubnetId} and
 * {@code SecurityGroupId.N} (none: the default VPC's); instances end themselves on shutdown
 * ({@code InstanceInitiatedShutdownBehavior=terminate}). The SDK does not retry: the pool reconciler's
 * backoff is the retry. Error codes map to {@link CloudException} kinds: capacity
 * ({@code InsufficientInstanceCapacity}, {@code Unsupported}), throttled ({@code RequestLimitExceeded}),
 * not found ({@code InvalidInstanceID.NotFound}), other 5xx unavailable, the rest refused with AWS's words.
 */
public final class Ec2Provider implements CloudProvider {

  static final Set<String> CAPACITY = Set.of("InsufficientInstanceCapacity", "InsufficientCapacity", "Unsupported",
      "InsufficientHostCapacity");
  static final Set<String> THROTTLED = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException");
  static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped");

  private final Vertx vertx;
  private final Ec2Client ec2;

  public Ec2Provider(Vertx vertx, String endpoint, String region, String accessKeyId, String secretAccessKey) {
    this.vertx = vertx;
    Ec2ClientBuilder builder = Ec2Client.builder().region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(30)).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(45)));
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    this.ec2 = builder.build();
  }

  @Override
  public Future<CloudInstance> create(InstanceSpec spec, String idempotencyKey) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key("Name").value(spec.name()).build());
    spec.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
    RunInstancesRequest.Builder request = RunInstancesRequest.builder().imageId(spec.image()).instanceType(spec.instanceType())
        .minCount(1).maxCount(1).clientToken(idempotencyKey).instanceInitiatedShutdownBehavior("terminate")
        .userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)))
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
    if (spec.zone() != null) {
      request.placement(p -> p.availabilityZone(spec.zone()));
    }
    if (spec.subnetId() != null) {
      request.subnetId(spec.subnetId());
    }
    if (!spec.securityGroupIds().isEmpty()) {
      request.securityGroupIds(spec.securityGroupIds());
    }
    if (spec.diskGb() > 0) {
      request.blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/sda1")
          .ebs(e -> e.volumeSize(spec.diskGb()).deleteOnTermination(true)).build());
    }
    return call(() -> instance(ec2.runInstances(request.build()).instances().get(0)));
  }

  @Override
  public Future<CloudInstance> get(String id) {
    return call(() -> {
      try {
        DescribeInstancesResponse response = ec2.describeInstances(DescribeInstancesRequest.builder().instanceIds(id).build());
        return response.reservations().stream().flatMap(r -> r.instances().stream()).map(Ec2Provider::instance)
            .findFirst().orElse(null);
      } catch (Ec2Exception e) {
        if (e.awsErrorDetails() != null && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
          return null;
        }
        throw e;
      }
    });
  }

  @Override
  public Future<List<CloudInstance>> listByTags(Map<String, String> tags) {
    return call(() -> {
      List<Filter> filters = new ArrayList<>();
      tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
      filters.add(Filter.builder().name("instance-state-name").values(LIVE_STATES).build());
      List<CloudInstance> out = new ArrayList<>();
      String token = null;
      do {
        DescribeInstancesResponse page = ec2.describeInstances(DescribeInstancesRequest.builder().filters(filters)
            .maxResults(100).nextToken(token).build());
        page.reservations().forEach(r -> r.instances().forEach(i -> out.add(instance(i))));
        token = page.nextToken();
      } while (token != null && !token.isEmpty());
      return out;
    });
  }

  @Override
  public Future<Void> delete(String id) {
    return call(() -> {
      try {
        ec2.terminateInstances(r -> r.instanceIds(id));
      } catch (Ec2Exception e) {
        if (e.awsErrorDetails() == null || !"InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
          throw e;
        }
      }
      return null;
    });
  }

  private <T> Future<T> call(Callable<T> work) {
    return vertx.executeBlocking(() -> {
      try {
        return work.call();
      } catch (Ec2Exception e) {
        throw translate(e);
      } catch (SdkClientException e) {
        throw new CloudException(CloudException.Kind.UNAVAILABLE, "connection", "EC2 API unreachable: " + e.getMessage());
      }
    }, false);
  }

  static CloudException translate(Ec2Exception e) {
    String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "http_" + e.statusCode()
        : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? e.getMessage()
        : e.awsErrorDetails().errorMessage();
    if (e.statusCode() == 401 && code.startsWith("http_")) {
      // the JDK's URL connection hides the body of a 401 to a streamed POST: AWS's AuthFailure
      code = "AuthFailure";
      message = "AWS refused the request's credentials (check access_key_id, secret_access_key and the region)";
    }
    CloudException.Kind kind = CAPACITY.contains(code) ? CloudException.Kind.CAPACITY
        : THROTTLED.contains(code) ? CloudException.Kind.THROTTLED
        : "InvalidInstanceID.NotFound".equals(code) ? CloudException.Kind.NOT_FOUND
        : e.statusCode() >= 500 ? CloudException.Kind.UNAVAILABLE : CloudException.Kind.REFUSED;
    return new CloudException(kind, code, message + (e.requestId() == null ? "" : " (request " + e.requestId() + ")"));
  }

  static CloudInstance instance(Instance i) {
    Map<String, String> tags = new LinkedHashMap<>();
    i.tags().forEach(t -> tags.put(t.key(), t.value()));
    return new CloudInstance(i.instanceId(), tags.get("Name"), i.instanceTypeAsString(),
        i.state() == null ? null : i.state().nameAsString(), i.privateIpAddress(), tags, i.launchTime());
  }

  @Override
  public void close() {
    ec2.close();
  }
}
