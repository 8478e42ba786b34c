package dev.gantry.hub;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face Hub as its own client speaks it: {@code GET /api/models/{repo}/revision/{rev}?blobs=true}
 * pins the revision ({@code sha}) and lists the files ({@code siblings} with size and LFS sha256);
 * files come from {@code /{repo}/resolve/{commit}/{path}}. Errors are told apart by {@code X-Error-Code}
 * ({@code RepoNotFound}, {@code RevisionNotFound}, {@code GatedRepo}), then by status.
 */
final class HuggingFaceHub implements ModelHub {

  private final HubHttp http;

  HuggingFaceHub(HubHttp http) {
    this.http = http;
  }

  @Override
  public ResolvedRepo resolve(HubRequest request) throws IOException {
    URI url = URI.create(request.endpoint() + "/api/models/" + request.repo() + "/revision/"
        + URLEncoder.encode(request.revision(), StandardCharsets.UTF_8) + "?blobs=true");
    HttpResponse<InputStream> response = http.get(url, Map.of("Accept", "application/json"), request.token());
    String body = HubHttp.text(response);
    if (response.statusCode() != 200) {
      throw refusal(request, response, body);
    }
    try {
      JsonObject info = new JsonObject(body);
      List<HubFile> files = new ArrayList<>();
      for (Object item : info.getJsonArray("siblings", new JsonArray())) {
        JsonObject sibling = (JsonObject) item;
        JsonObject lfs = sibling.getJsonObject("lfs");
        long size = sibling.getLong("size", lfs == null ? -1L : lfs.getLong("size", -1L));
        files.add(new HubFile(sibling.getString("rfilename"), size, lfs == null ? null : lfs.getString("sha256")));
      }
      String commit = info.getString("sha");
      if (commit == null || !commit.matches("[0-9a-f]{7,64}")) {
        throw new HubException(502, true, request.hubName() + " answered no commit for " + request.repo());
      }
      return new ResolvedRepo(commit, files);
    } catch (DecodeException | ClassCastException e) {
      throw new HubException(502, true, request.hubName() + " answered something that is not repository info");
    }
  }

  @Override
  public URI fileUrl(HubSnapshot snapshot, HubFile file) {
    return URI.create(snapshot.endpoint() + "/" + snapshot.repo() + "/resolve/" + snapshot.commit() + "/"
        + encodePath(file.path()));
  }

  static String encodePath(String path) {
    return String.join("/", java.util.Arrays.stream(path.split("/"))
        .map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20")).toList());
  }

  private static HubException refusal(HubRequest request, HttpResponse<InputStream> response, String body) {
    String code = response.headers().firstValue("X-Error-Code").orElse("");
    String hub = request.hubName();
    String repo = "'" + request.repo() + "'";
    int status = response.statusCode();
    if ("GatedRepo".equals(code)) {
      return new HubException(403, false, repo + " on " + hub + " is gated: " + (request.token() == null
          ? "accept its terms on the hub and set hub_token to a token of that account"
          : "the account of hub_token has not been granted access yet; accept its terms on the hub"));
    }
    if ("RevisionNotFound".equals(code)) {
      return new HubException(404, false, "revision '" + request.revision() + "' not found in " + repo + " on " + hub);
    }
    if ("RepoNotFound".equals(code) || status == 404) {
      return new HubException(404, false, "repository " + repo + " not found on " + hub
          + (request.token() == null ? " (if it is private or gated, set hub_token)" : ""));
    }
    if (status == 401 || status == 403) {
      return new HubException(400, false, hub + " refused hub_token for " + repo + " (status " + status + ")");
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    return new HubException(502, retryable, hub + " answered " + status + " for " + repo
        + response.headers().firstValue("X-Error-Message").map(m -> ": " + m).orElse(""));
  }
}
