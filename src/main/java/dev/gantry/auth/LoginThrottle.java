package dev.gantry.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed sign-ins per user name and per client address, cluster-wide, in an expiring map.
 * Blocking (Hazelcast calls): use from a worker.
 */
public final class LoginThrottle {

  public static final int MAX_PER_USER = 5;
  public static final int MAX_PER_ADDRESS = 20;
  public static final Duration WINDOW = Duration.ofMinutes(15);

  private final IMap<String, Integer> failures;

  public LoginThrottle(HazelcastInstance hazelcast) {
    this.failures = hazelcast.getMap(ClusterMaps.LOGIN_FAILURES);
  }

  /** Whether another attempt is allowed now. */
  public boolean allows(String username, String address) {
    return count("user:" + username) < MAX_PER_USER && count("addr:" + address) < MAX_PER_ADDRESS;
  }

  public void failed(String username, String address) {
    bump("user:" + username);
    bump("addr:" + address);
  }

  public void succeeded(String username) {
    failures.delete("user:" + username);
  }

  private int count(String key) {
    Integer value = failures.get(key);
    return value == null ? 0 : value;
  }

  private void bump(String key) {
    failures.merge(key, 1, Integer::sum);
    failures.setTtl(key, WINDOW.toSeconds(), TimeUnit.SECONDS);
  }
}
