package dev.gantry.model;

import dev.gantry.common.ApiException;
import dev.gantry.hub.HubKind;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The rules of a model that comes from a hub ({@code source} {@code huggingface} or {@code modelscope}):
 * {@code repo} is {@code owner/name}, {@code revision} a branch, tag or commit, {@code file} a glob of the
 * files to take, {@code hub_endpoint} an http(s) URL. The token a request gives in {@code hub_token} is
 * kept only sealed ({@link #SEALED_TOKEN}); the resolved commit and files in {@code resolved}.
 */
public final class HubSources {

  /** Where the sealed hub token lives in a stored spec; never shown (views show {@code hub_token_set}). */
  public static final String SEALED_TOKEN = "hub_token_sealed";
  /** What {@link dev.gantry.cluster.SecretBox} binds a sealed hub token to. */
  public static final String TOKEN_PURPOSE = "hub-token";

  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,127}");

  public static boolean isHub(JsonObject spec) {
    return HubKind.ofSource(spec.getString("source")).isPresent();
  }

  static void check(JsonObject spec) {
    String source = spec.getString("source");
    String repo = spec.getString("repo");
    if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
      throw ApiException.badRequest("source '" + source + "' needs 'repo' as owner/name, e.g. \"Qwen/Qwen2.5-0.5B-Instruct\"; got "
          + (repo == null ? "none" : "'" + repo + "'"));
    }
    String revision = spec.getString("revision");
    if (revision != null && (!REVISION.matcher(revision).matches() || revision.contains(".."))) {
      throw ApiException.badRequest("revision must be a branch, tag or commit (letters, digits, '.', '_', '-', '/'); got '"
          + revision + "'");
    }
    String file = spec.getString("file");
    if (file != null && (file.isBlank() || file.contains("..") || file.startsWith("/"))) {
      throw ApiException.badRequest("file must be a path or glob inside the repo, such as '*Q4_K_M*.gguf'; got '" + file + "'");
    }
    String endpoint = spec.getString("hub_endpoint");
    if (endpoint != null && !endpoint.isBlank() && !httpUrl(endpoint)) {
      throw ApiException.badRequest("hub_endpoint must be an http(s) URL such as https://hf-mirror.com; got '" + endpoint + "'");
    }
    if (endpoint != null && !endpoint.isBlank() && URI.create(endpoint).getRawUserInfo() != null) {
      throw ApiException.badRequest("hub_endpoint must not carry credentials (user:token@): every signed-in user reads a "
          + "model's hub_endpoint; give the token in hub_token, which is sealed and sent to the hub only");
    }
    String backend = spec.getString("backend");
    if (("builtin".equals(backend) || "llama.cpp".equals(backend)) && (file == null || !file.endsWith(".gguf"))) {
      throw ApiException.badRequest("backend '" + backend + "' serves GGUF files: set 'file' to the GGUF to take from "
          + repo + ", e.g. '*Q4_K_M*.gguf'");
    }
  }

  private static boolean httpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private HubSources() {
  }
}
