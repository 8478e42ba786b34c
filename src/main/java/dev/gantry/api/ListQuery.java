package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The list conventions every resource shares: {@code ?page=1&perPage=100&sort_by=name,-created_at&search=...}
 * answered as {@code {"items":[...],"pagination":{"page","perPage","total","totalPage"}}}. {@code per_page}
 * is read as {@code perPage} (the other parameters are snake_case, so people send it).
 */
public record ListQuery(int page, int perPage, List<String> sortBy, String search) {

  public static final int MAX_PER_PAGE = 1000;

  public static ListQuery from(MultiMap params, Set<String> sortable) {
    int page = intParam(params, "page", 1);
    String perPageName = perPageName(params);
    int perPage = intParam(params, perPageName, 100);
    if (page < 1) {
      throw ApiException.badRequest("page must be 1 or more, got " + page);
    }
    if (perPage < 1 || perPage > MAX_PER_PAGE) {
      throw ApiException.badRequest(perPageName + " must be between 1 and " + MAX_PER_PAGE + ", got " + perPage);
    }
    List<String> sort = new ArrayList<>();
    String sortParam = params.get("sort_by");
    if (sortParam != null && !sortParam.isBlank()) {
      for (String field : sortParam.split(",")) {
        String name = field.strip().replaceFirst("^-", "");
        if (!sortable.contains(name)) {
          throw ApiException.badRequest("sort_by: cannot sort by '" + name + "'; sortable fields: " + String.join(", ", sortable));
        }
        sort.add(field.strip());
      }
    }
    String search = params.get("search");
    return new ListQuery(page, perPage, sort, search == null || search.isBlank() ? null : search.toLowerCase(Locale.ROOT));
  }

  /** Filters by {@code search} over the given fields, sorts, and cuts the requested page. */
  public JsonObject apply(List<JsonObject> all, List<String> searchFields) {
    List<JsonObject> matching = new ArrayList<>();
    for (JsonObject item : all) {
      if (search == null || searchFields.stream().anyMatch(f -> contains(item.getValue(f)))) {
        matching.add(item);
      }
    }
    if (!sortBy.isEmpty()) {
      matching.sort(comparator());
    }
    int total = matching.size();
    int from = (int) Math.min((long) (page - 1) * perPage, total);
    int to = Math.min(from + perPage, total);
    return new JsonObject()
        .put("items", new JsonArray(new ArrayList<>(matching.subList(from, to))))
        .put("pagination", new JsonObject().put("page", page).put("perPage", perPage)
            .put("total", total).put("totalPage", (total + perPage - 1) / perPage));
  }

  private boolean contains(Object value) {
    return value != null && value.toString().toLowerCase(Locale.ROOT).contains(search);
  }

  private Comparator<JsonObject> comparator() {
    Comparator<JsonObject> result = null;
    for (String field : sortBy) {
      boolean descending = field.startsWith("-");
      String name = descending ? field.substring(1) : field;
      Comparator<JsonObject> next = Comparator.comparing(item -> comparable(item.getValue(name)),
          Comparator.nullsLast(Comparator.naturalOrder()));
      next = descending ? next.reversed() : next;
      result = result == null ? next : result.thenComparing(next);
    }
    return result;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparable comparable(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    return value == null ? null : value instanceof Comparable c ? c : value.toString();
  }

  /** Which spelling of the page size the caller sent; both, with different values, is a 400. */
  private static String perPageName(MultiMap params) {
    String camel = params.get("perPage");
    String snake = params.get("per_page");
    if (camel != null && snake != null && !camel.strip().equals(snake.strip())) {
      throw ApiException.badRequest("perPage (" + camel + ") and per_page (" + snake + ") disagree; send one of them");
    }
    return camel == null && snake != null ? "per_page" : "perPage";
  }

  private static int intParam(MultiMap params, String name, int fallback) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, got '" + value + "'");
    }
  }
}
