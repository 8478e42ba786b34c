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
 * ModelScope's API under {@code /api/v1}: {@code models/{repo}/repo/files?Revision=&Recursive=True} lists
 * the files (size, sha256, and the commit in {@code Revision}) inside the {@code {"Code","Data","Message"}}
 * envelope; files come from {@code models/{repo}/repo?Revision=&FilePath=}. Errors carry only a status.
 */
final class ModelScopeHub implements ModelHub {

  private final HubHttp http;

  ModelScopeHub(HubHttp http) {
    this.http = http;
  }

  @Override
  public ResolvedRepo resolve(HubRequest request) throws IOException {
    URI url = URI.create(request.endpoint() + "/api/v1/models/" + request.repo() + "/repo/files?Revision="
        + URLEncoder.encode(request.revision(), StandardCharsets.UTF_8) + "&Recursive=True");
    HttpResponse<InputStream> response = http.get(url, request.token() == null ? Map.of("Accept", "application/json")
        : Map.of("Accept", "application/json", "Cookie", "m_session_id=" + request.token()), request.token());
    String body = HubHttp.text(response);
    String where = "'" + request.repo() + "' (revision '" + request.revision() + "') on " + request.hubName();
    int status = response.statusCode();
    if (status == 404) {
      throw new HubException(404, false, "repository or revision not found: " + where);
    }
    if (status == 401 || status == 403) {
      throw new HubException(403, false, "access to " + where + " is restricted: "
          + (request.token() == null ? "set hub_token to a token with access" : "hub_token has no access"));
    }
    try {
      JsonObject envelope = new JsonObject(body);
      if (status != 200 || envelope.getInteger("Code", 200) != 200 || !envelope.getBoolean("Success", true)) {
        boolean retryable = status == 429 || status >= 500;
        throw new HubException(retryable ? 502 : 404, retryable, request.hubName() + " refused " + where + ": "
            + envelope.getString("Message", "status " + status));
      }
      List<HubFile> files = new ArrayList<>();
      String commit = null;
      for (Object item : envelope.getJsonObject("Data", new JsonObject()).getJsonArray("Files", new JsonArray())) {
        JsonObject file = (JsonObject) item;
        if ("blob".equals(file.getString("Type", "blob"))) {
          files.add(new HubFile(file.getString("Path"), file.getLong("Size", -1L), file.getString("Sha256")));
          commit = commit == null ? file.getString("Revision") : commit;
        }
      }
      return new ResolvedRepo(commit == null || !commit.matches("[0-9A-Za-z._-]{1,64}") ? request.revision() : commit,
          files);
    } catch (DecodeException | ClassCastException e) {
      throw new HubException(502, true, request.hubName() + " answered something that is not a file list for " + where);
    }
  }

  @Override
  public URI fileUrl(HubSnapshot snapshot, HubFile file) {
    return URI.create(snapshot.endpoint() + "/api/v1/models/" + snapshot.repo() + "/repo?Revision="
        + URLEncoder.encode(snapshot.commit(), StandardCharsets.UTF_8) + "&FilePath="
        + URLEncoder.encode(file.path(), StandardCharsets.UTF_8));
  }
}
