package dev.gantry.metering;

import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.auth.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /v2/usage}: request counts (by outcome and status class) and the token sums of requests that did not
 * fail, grouped and filtered as asked; a non-admin sees only their own usage.
 */
public final class UsageRoutes {

  private final PgUsageStore store;
  private final String currency;

  public UsageRoutes(PgUsageStore store, String currency) {
    this.store = store;
    this.currency = currency;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/usage")).respond(ctx -> {
      Principal me = Authenticator.principal(ctx);
      UsageQuery query = UsageQuery.parse(ctx.queryParams(), me.admin() ? null : me.userId());
      return store.summary(query).map(items -> new JsonObject().put("items", new JsonArray(items))
          .put("currency", currency));
    });
  }
}
