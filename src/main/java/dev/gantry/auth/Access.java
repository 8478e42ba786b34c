package dev.gantry.auth;

import dev.gantry.common.ApiException;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call a route: the one authorization decision of the node. Every route declares its rule where it
 * is mounted ({@code Access.ADMIN.on(router.post("/v2/models"))}), which puts the rule on the route and
 * this check in front of its handlers; {@link #refuseUndeclared} switches off every route that declared
 * none, so a forgotten rule denies instead of allowing. The caller was identified before routing by
 * {@link Authenticator}; this class only decides.
 */
public enum Access {

  /** Anyone, signed in or not. */
  PUBLIC,
  /** Signed-in users, and API keys with scope {@code management} or {@code *}. */
  MANAGEMENT,
  /** Signed-in users, and API keys with scope {@code inference} or {@code *}. */
  INFERENCE,
  /** Admins: an admin's session, or an admin's API key with scope {@code management} or {@code *}. */
  ADMIN,
  /** Another node of this cluster, by a request signed with the cluster secret ({@link ClusterCaller}); never a user. */
  CLUSTER;

  /** The key of a route's rule in its metadata. */
  public static final String METADATA = "gantry.access";
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);

  /** Declares this rule for the route and puts its check in front of the route's own handlers. */
  public Route on(Route route) {
    route.putMetadata(METADATA, this);
    return route.handler(this::check);
  }

  /** The rule a route declared, or null. */
  public static Access of(Route route) {
    return route.getMetadata(METADATA);
  }

  /**
   * Deny by default: switches off every route with a path that declared no rule (it then answers like an
   * unknown route), and says so in the log. Mount it after every other route.
   */
  public static void refuseUndeclared(Router router) {
    for (Route route : router.getRoutes()) {
      boolean addressed = route.getPath() != null || route.isRegexPath();
      if (addressed && of(route) == null) {
        LOG.error("route without an access rule switched off [route: {} {}]", route.methods(), route.getPath());
        route.disable();
      }
    }
  }

  void check(RoutingContext ctx) {
    if (this == PUBLIC) {
      ctx.next();
      return;
    }
    if (this == CLUSTER) {
      if (Authenticator.clusterCaller(ctx)) {
        ctx.next();
      } else {
        ctx.fail(ApiException.forbidden("only the nodes of this cluster may call " + ctx.request().path()));
      }
      return;
    }
    Principal caller = Authenticator.principal(ctx);
    if (caller == null) {
      ctx.fail(Authenticator.failure(ctx));
      return;
    }
    ApiException refusal = refusal(caller);
    if (refusal != null) {
      ctx.fail(refusal);
      return;
    }
    ctx.next();
  }

  private ApiException refusal(Principal caller) {
    return switch (this) {
      case MANAGEMENT -> caller.mayManage() ? null : wrongScope(caller, "the management API needs scope 'management' or '*'");
      case INFERENCE -> caller.mayUseInference() ? null : new ApiException(403, "insufficient_scope", "this API key's scope is '"
          + caller.scope() + "'; the OpenAI-compatible API needs a key with scope 'inference' or '*'");
      case ADMIN -> !caller.mayManage() ? wrongScope(caller, "administration needs an admin's key with scope 'management' or '*'")
          : caller.admin() ? null : ApiException.forbidden("only administrators may do this");
      default -> null;
    };
  }

  private static ApiException wrongScope(Principal caller, String need) {
    return ApiException.forbidden("this API key's scope is '" + caller.scope() + "'; " + need);
  }
}
