package dev.gantry.hub;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face Hub and ModelScope, speaking their protocols as the clients use them
 * ({@code reference/model-hubs.md} §1.7, §2.2): repo info by revision with siblings, sizes and LFS
 * sha256; {@code resolve} with {@code X-Repo-Commit}, {@code ETag}, and for LFS files a 302 with
 * {@code X-Linked-Etag}/{@code X-Linked-Size} to a file host path; Range requests (206); the errors
 * with {@code X-Error-Code}; ModelScope's file list and download in its envelope. A test can cut the
 * connection of the next download of a file after some bytes, slow a file down to a trickle, hold each
 * whole download of a file after some bytes (the transfer stays open, the client waits), and read how many
 * bytes of each file were served. Public for the console's browser tests of downloads.
 */
public final class FakeHub implements AutoCloseable {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  static final long TICK_MS = 100;

  record Repo(String commit, Map<String, byte[]> files, boolean gated) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
  private final Map<String, Long> cuts = new ConcurrentHashMap<>();
  private final Map<String, Integer> trickles = new ConcurrentHashMap<>();
  private final Map<String, java.util.Queue<Long>> holds = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> wholeFiles = new ConcurrentHashMap<>();
  private final Map<String, List<long[]>> transfers = new ConcurrentHashMap<>();
  private final AtomicLong fileHostAuthorizations = new AtomicLong();
  private final AtomicLong resolveAuthorizations = new AtomicLong();
  private final HttpServer server;
  final String token = "hf_test_token_" + Long.toHexString(System.nanoTime());

  public FakeHub() {
    Router router = Router.router(vertx);
    router.get("/api/models/:org/:name/revision/:rev").handler(this::repoInfo);
    router.route("/:org/:name/resolve/:rev/*").handler(this::resolve);
    router.get("/cdn/:org/:name/:commit/*").handler(ctx -> {
      if (ctx.request().getHeader("Authorization") != null) {
        fileHostAuthorizations.incrementAndGet();
      }
      serve(ctx, repos.get(repoOf(ctx)), ctx.pathParam("*"));
    });
    router.get("/api/v1/models/:org/:name/repo/files").handler(this::modelScopeFiles);
    router.get("/api/v1/models/:org/:name/repo").handler(this::modelScopeFile);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  /** The file host LFS files are redirected to: the same server under another host name, as a CDN would be. */
  String fileHost() {
    return "http://localhost:" + server.actualPort();
  }

  /** How many requests reached the file host with an Authorization header (the token must stay with the hub). */
  long fileHostAuthorizations() {
    return fileHostAuthorizations.get();
  }

  long resolveAuthorizations() {
    return resolveAuthorizations.get();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void add(String repo, String commit, Map<String, byte[]> files, boolean gated) {
    repos.put(repo, new Repo(commit, Map.copyOf(files), gated));
  }

  /** The next download of {@code path} stops after {@code bytes} bytes: the connection is closed. */
  void cutNextDownload(String path, long bytes) {
    cuts.put(path, bytes);
  }

  /**
   * The next whole downloads of {@code path} (no Range header), one per entry in order, send that many bytes
   * and then nothing more: the response stays open until the hub closes, so the client's progress stays put.
   */
  public void holdWholeDownloads(String path, long... bytes) {
    java.util.Queue<Long> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (long b : bytes) {
      queue.add(b);
    }
    holds.put(path, queue);
  }

  /** Every later download of {@code path} sends {@code bytesPerTick} bytes every {@link #TICK_MS} ms. */
  void trickle(String path, int bytesPerTick) {
    trickles.put(path, bytesPerTick);
  }

  /** Body bytes of {@code path} sent so far (every download and range together). */
  long bytesServed(String path) {
    return served.computeIfAbsent(path, p -> new AtomicLong()).get();
  }

  /** Each download of {@code path}: {@code [first byte, bytes sent]}, in order. */
  List<long[]> transfers(String path) {
    return List.copyOf(transfers.getOrDefault(path, List.of()));
  }

  long downloads(String path) {
    return requests.computeIfAbsent(path, p -> new AtomicLong()).get();
  }

  /** Downloads of {@code path} without a Range header: whole-file fetches (not header reads or resumes). */
  long wholeFileDownloads(String path) {
    return wholeFiles.computeIfAbsent(path, p -> new AtomicLong()).get();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String repoOf(RoutingContext ctx) {
    return ctx.pathParam("org") + "/" + ctx.pathParam("name");
  }

  private static boolean lfs(String path) {
    return !path.endsWith(".json") && !path.endsWith(".txt");
  }

  private void repoInfo(RoutingContext ctx) {
    Repo repo = repos.get(repoOf(ctx));
    if (refused(ctx, repo)) {
      return;
    }
    if (!List.of("main", repo.commit()).contains(ctx.pathParam("rev"))) {
      error(ctx.response(), 404, "RevisionNotFound", "Invalid rev id: " + ctx.pathParam("rev"));
      return;
    }
    JsonArray siblings = new JsonArray();
    repo.files().forEach((path, data) -> {
      JsonObject sibling = new JsonObject().put("rfilename", path).put("size", data.length)
          .put("blobId", Integer.toHexString(path.hashCode()));
      if (lfs(path)) {
        sibling.put("lfs", new JsonObject().put("sha256", sha256(data)).put("size", data.length).put("pointerSize", 134));
      }
      siblings.add(sibling);
    });
    ctx.json(new JsonObject().put("id", repoOf(ctx)).put("sha", repo.commit()).put("private", false)
        .put("gated", repo.gated() ? "manual" : false).put("siblings", siblings));
  }

  private boolean refused(RoutingContext ctx, Repo repo) {
    String auth = ctx.request().getHeader("Authorization");
    if (repo == null) {
      error(ctx.response(), auth == null ? 401 : 404, "RepoNotFound", "Repository Not Found");
      return true;
    }
    if (repo.gated() && !("Bearer " + token).equals(auth)) {
      error(ctx.response(), 401, "GatedRepo", "Access to model " + repoOf(ctx) + " is restricted.");
      return true;
    }
    return false;
  }

  private void resolve(RoutingContext ctx) {
    if (ctx.request().getHeader("Authorization") != null) {
      resolveAuthorizations.incrementAndGet();
    }
    Repo repo = repos.get(repoOf(ctx));
    if (refused(ctx, repo)) {
      return;
    }
    String path = ctx.pathParam("*");
    byte[] data = repo.files().get(path);
    if (!List.of("main", repo.commit()).contains(ctx.pathParam("rev")) || data == null) {
      ctx.response().putHeader("X-Repo-Commit", repo.commit());
      error(ctx.response(), 404, "EntryNotFound", path + " does not exist");
      return;
    }
    HttpServerResponse response = ctx.response().putHeader("X-Repo-Commit", repo.commit());
    if (lfs(path)) {
      response.setStatusCode(302).putHeader("X-Linked-Etag", "\"" + sha256(data) + "\"")
          .putHeader("X-Linked-Size", String.valueOf(data.length))
          .putHeader("Location", fileHost() + "/cdn/" + repoOf(ctx) + "/" + repo.commit() + "/" + path).end();
      return;
    }
    response.putHeader("ETag", "\"" + Integer.toHexString(path.hashCode()) + "\"");
    serve(ctx, repo, path);
  }

  private void modelScopeFiles(RoutingContext ctx) {
    Repo repo = repos.get(repoOf(ctx));
    String revision = ctx.queryParams().get("Revision");
    if (repo == null || !List.of("master", repo.commit()).contains(revision)) {
      ctx.response().setStatusCode(404);
      ctx.json(new JsonObject().put("Code", 10010205).put("Message", "model or revision not found").put("Success", false));
      return;
    }
    JsonArray files = new JsonArray();
    repo.files().forEach((path, data) -> files.add(new JsonObject().put("Name", path.substring(path.lastIndexOf('/') + 1))
        .put("Path", path).put("Type", "blob").put("Size", data.length).put("Sha256", sha256(data))
        .put("Revision", repo.commit()).put("IsLFS", lfs(path))));
    ctx.json(new JsonObject().put("Code", 200).put("Message", "success").put("Success", true)
        .put("Data", new JsonObject().put("Files", files)));
  }

  private void modelScopeFile(RoutingContext ctx) {
    Repo repo = repos.get(repoOf(ctx));
    String path = ctx.queryParams().get("FilePath");
    if (repo == null || path == null || !repo.files().containsKey(path)) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    serve(ctx, repo, path);
  }

  /** Sends a file, or the range asked for (206), counting bytes; a pending cut closes the connection midway. */
  private void serve(RoutingContext ctx, Repo repo, String path) {
    HttpServerRequest request = ctx.request();
    byte[] data = repo == null ? null : repo.files().get(path);
    if (data == null) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
    long from = 0;
    long to = data.length - 1;
    HttpServerResponse response = ctx.response().putHeader("Accept-Ranges", "bytes");
    String range = request.getHeader("Range");
    if (range == null && !request.method().name().equals("HEAD")) {
      wholeFiles.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
    }
    if (range != null) {
      Matcher m = RANGE.matcher(range);
      if (!m.matches() || Long.parseLong(m.group(1)) >= data.length) {
        response.setStatusCode(416).putHeader("Content-Range", "bytes */" + data.length).end();
        return;
      }
      from = Long.parseLong(m.group(1));
      to = m.group(2).isEmpty() ? to : Math.min(to, Long.parseLong(m.group(2)));
      response.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
    }
    long length = to - from + 1;
    response.putHeader("Content-Length", String.valueOf(length));
    if (request.method().name().equals("HEAD")) {
      response.end();
      return;
    }
    Long cut = cuts.remove(path);
    Long hold = range == null && holds.containsKey(path) ? holds.get(path).poll() : null;
    long send = cut == null ? length : Math.min(length, cut);
    if (hold != null) {
      send = Math.min(length, hold);
    }
    transfers.computeIfAbsent(path, p -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(new long[] {from, send});
    Buffer body = Buffer.buffer(java.util.Arrays.copyOfRange(data, (int) from, (int) (from + send)));
    if (hold != null) {
      served.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(send);
      response.write(body);
      return;
    }
    Integer trickle = trickles.get(path);
    if (trickle != null && cut == null) {
      trickle(response, body, 0, trickle, served.computeIfAbsent(path, p -> new AtomicLong()));
      return;
    }
    served.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(send);
    if (cut == null) {
      response.end(body);
    } else {
      response.write(body).onComplete(ar -> request.connection().close());
    }
  }

  /** Writes {@code body} from {@code at} on, {@code perTick} bytes a tick, counting what was written; stops when the client is gone. */
  private void trickle(HttpServerResponse response, Buffer body, int at, int perTick, AtomicLong counter) {
    int end = Math.min(body.length(), at + perTick);
    response.write(body.getBuffer(at, end)).onSuccess(v -> {
      counter.addAndGet(end - at);
      if (end >= body.length()) {
        response.end();
      } else {
        vertx.setTimer(TICK_MS, t -> trickle(response, body, end, perTick, counter));
      }
    });
  }

  private static void error(HttpServerResponse response, int status, String code, String message) {
    response.setStatusCode(status).putHeader("X-Error-Code", code).putHeader("X-Error-Message", message)
        .putHeader("Content-Type", "application/json").end(new JsonObject().put("error", message).encode());
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
