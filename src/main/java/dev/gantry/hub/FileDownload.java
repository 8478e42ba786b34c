package dev.gantry.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Fetches one file into {@code <target>.part}, resuming with {@code Range: bytes=<have>-} after a cut or a
 * restart (a {@code 200} to a range request starts over), retrying hub errors and cut connections with
 * exponential backoff (the budget resets whenever bytes arrived), then checks the size and the sha256 (from
 * the hub's metadata, else a 64-hex {@code X-Linked-Etag}) and moves the part into place. A file that fails
 * its check is deleted and fetched again. Blocking: runs on the cache's download threads.
 */
final class FileDownload {

  static final int CHUNK = 1 << 20;

  private final HubHttp http;
  private final RetryPolicy retry;
  private final BooleanSupplier cancelled;

  FileDownload(HubHttp http, RetryPolicy retry, BooleanSupplier cancelled) {
    this.http = http;
    this.retry = retry;
    this.cancelled = cancelled;
  }

  /** Downloads {@code file} from {@code url} to {@code target}; {@code onBytes} hears the bytes on disk so far. */
  void fetch(URI url, String token, HubFile file, Path target, LongConsumer onBytes) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.getParent());
    int failures = 0;
    String sha256 = file.sha256();
    while (true) {
      checkCancelled();
      long before = Files.exists(part) ? Files.size(part) : 0;
      try {
        if (file.size() < 0 || before < file.size()) {
          String etag = transfer(url, token, file, part, before, onBytes);
          sha256 = sha256 != null ? sha256 : etag;
        }
        verify(file, part, sha256);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (HubException e) {
        long after = Files.exists(part) ? Files.size(part) : 0;
        failures = after > before ? 1 : failures + 1;
        if (!e.retryable() || failures > retry.attempts()) {
          throw e;
        }
        retry.pause(failures, cancelled);
      }
    }
  }

  /** One request from {@code have} on; answers the sha256 the response's {@code X-Linked-Etag} names, if any. */
  private String transfer(URI url, String token, HubFile file, Path part, long have, LongConsumer onBytes)
      throws IOException {
    Map<String, String> range = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
    HttpResponse<InputStream> response = http.get(url, range, token);
    int status = response.statusCode();
    if (status == 416 && have == file.size()) {
      response.body().close();
      return null;
    }
    if (status != 200 && status != 206) {
      response.body().close();
      boolean retryable = status == 408 || status == 429 || status >= 500;
      throw new HubException(retryable ? 502 : status == 404 ? 404 : 403, retryable,
          "the hub answered " + status + " for " + file.path());
    }
    boolean append = status == 206 && response.headers().firstValue("Content-Range")
        .map(r -> r.startsWith("bytes " + have + "-")).orElse(false);
    try (InputStream body = response.body();
         FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long written = append ? have : 0;
      out.truncate(written);
      out.position(written);
      onBytes.accept(written);
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = body.read(buffer)) >= 0) {
        checkCancelled();
        out.write(ByteBuffer.wrap(buffer, 0, n));
        written += n;
        onBytes.accept(written);
      }
      if (file.size() >= 0 && written < file.size()) {
        throw new HubException(502, true, "the download of " + file.path() + " ended early at " + written + " of "
            + file.size() + " bytes");
      }
    } catch (HubException e) {
      throw e;
    } catch (IOException e) {
      throw new HubException(502, true, "the download of " + file.path() + " was cut: " + e.getMessage());
    }
    return response.headers().firstValue("X-Linked-Etag").map(FileDownload::sha256OfEtag).orElse(null);
  }

  private static void verify(HubFile file, Path part, String sha256) throws IOException {
    long size = Files.size(part);
    if (file.size() >= 0 && size != file.size()) {
      Files.deleteIfExists(part);
      throw new HubException(502, true, file.path() + " arrived with " + size + " bytes, the hub lists " + file.size());
    }
    if (sha256 != null && !sha256.equalsIgnoreCase(sha256Of(part))) {
      Files.deleteIfExists(part);
      throw new HubException(502, true, file.path() + " failed its sha256 check; fetching it again");
    }
  }

  static String sha256OfEtag(String etag) {
    String bare = etag.replace("W/", "").replace("\"", "").trim();
    return bare.matches("[0-9a-fA-F]{64}") ? bare : null;
  }

  static String sha256Of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void checkCancelled() throws IOException {
    if (cancelled.getAsBoolean()) {
      throw new java.io.InterruptedIOException("download stopped: the node is shutting down");
    }
  }
}
