package dev.gantry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One resource's list URL: a page ({@link ListQuery}) or, with {@code ?watch=true}, a change stream
 * ({@link SseWatch}) — the same items, visibility rule and view (what of each item the caller sees)
 * either way.
 */
public record ListEndpoint(WatchHub hub, Set<String> sortable, List<String> searchable) {

  /** Answers the list or the watch stream of the items the caller may see. */
  public void handle(RoutingContext ctx, Supplier<Future<List<JsonObject>>> items, Predicate<JsonObject> visible) {
    handle(ctx, items, visible, UnaryOperator.identity());
  }

  /** As above, each visible item shown through {@code view} (e.g. without the fields the caller may not read). */
  public void handle(RoutingContext ctx, Supplier<Future<List<JsonObject>>> items, Predicate<JsonObject> visible,
      UnaryOperator<JsonObject> view) {
    if ("true".equals(ctx.request().getParam("watch"))) {
      SseWatch.serve(ctx, hub, items, visible, view);
      return;
    }
    ListQuery query = ListQuery.from(ctx.queryParams(), sortable);
    items.get().map(all -> query.apply(all.stream().filter(visible).map(view).toList(), searchable))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
