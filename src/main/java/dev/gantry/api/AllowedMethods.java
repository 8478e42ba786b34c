package dev.gantry.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which methods the routes serve on a path, for a 405's {@code Allow} header, and to tell a wrong method
 * (405) from an unknown path (404). The console's catch-all for GET counts only outside the API's
 * prefixes: {@code POST /v1/messages} is an unknown path, not a wrong method on a console page.
 */
final class AllowedMethods {

  /** Paths that belong to the API, never to the console's static files. */
  static final List<String> API_PREFIXES = List.of("/v1", "/v2", "/auth", "/internal", "/health");

  private record Served(Pattern path, boolean console, Set<HttpMethod> methods) {
  }

  private final Supplier<List<Route>> routes;
  private volatile List<Served> served;

  AllowedMethods(Supplier<List<Route>> routes) {
    this.routes = routes;
  }

  /** The methods some route serves on this path, in name order; empty for an unknown path. */
  Set<String> on(String path) {
    boolean api = isApi(path);
    Set<String> methods = new TreeSet<>();
    for (Served route : served()) {
      if ((!route.console() || !api) && route.path().matcher(path).matches()) {
        route.methods().forEach(method -> methods.add(method.name()));
      }
    }
    return methods;
  }

  static boolean isApi(String path) {
    return API_PREFIXES.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
  }

  private List<Served> served() {
    List<Served> known = served;
    if (known == null) {
      known = new ArrayList<>();
      for (Route route : routes.get()) {
        if (route.getPath() != null && !route.isRegexPath() && route.methods() != null && !route.methods().isEmpty()) {
          boolean prefix = !route.isExactPath();
          known.add(new Served(pattern(route.getPath(), prefix), prefix && "/".equals(route.getPath()), route.methods()));
        }
      }
      served = known;
    }
    return known;
  }

  /** {@code /v2/models/:id} matches {@code /v2/models/7}; a prefix route matches everything beneath it. */
  static Pattern pattern(String path, boolean prefix) {
    StringBuilder regex = new StringBuilder();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        regex.append('/').append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
      }
    }
    return Pattern.compile(prefix ? regex + "(/.*)?" : regex.length() == 0 ? "/" : regex.toString());
  }
}
