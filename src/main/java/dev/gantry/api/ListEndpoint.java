package dev.gantry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One resource's list URL: a page ({@link ListQuery}) or, with {@code ?watch=true}, a change stream
 * ({@link SseWatch}) — the same items and visibility rule either way.
 */
public record ListEndpoint(WatchHub hub, Set<String> sortable, List<String> searchable) {

  /** Answers the list or the watch stream of the items the caller may see. */
  public void handle(RoutingContext ctx, Supplier<Future<List<JsonObject>>> items, Predicate<JsonObject> visible) {
    if ("true".equals(ctx.request().getParam("watch"))) {
      SseWatch.serve(ctx, hub, items, visible);
      return;
    }
    ListQuery query = ListQuery.from(ctx.queryParams(), sortable);
    items.get().map(all -> query.apply(all.stream().filter(visible).toList(), searchable))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
