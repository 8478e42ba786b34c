package dev.gantry.auth;

import dev.gantry.limits.Limits;
import java.util.List;
import java.util.Set;

/**
 * What a caller may use and under which limits, resolved once per user or key from cluster state
 * ({@link Entitlements}) and shared by all its requests: the model/route {@code names} it may call (null:
 * all) and the {@code subjects} whose limits apply to it, in order: its key, its user, its groups (only
 * those with limits).
 */
public record Entitlement(Set<String> names, List<Subject> subjects) {

  /** A limited party: its id in the limiter and the quota ledger ({@code k:}, {@code u:}, {@code g:}), a name for messages. */
  public record Subject(String id, String name, Limits limits) {
  }

  public static final Entitlement UNRESTRICTED = new Entitlement(null, List.of());

  public boolean allows(String name) {
    return names == null || names.contains(name);
  }
}
