package dev.gantry.hub;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what an estimate needs from the hub without downloading the weights: {@code config.json}, and
 * each safetensors file's header through Range requests ({@code bytes=0-100000} holds most headers; a
 * longer one is fetched with a second range). Blocking.
 */
public final class HubEstimator {

  static final int FIRST_RANGE = 100_000;

  private final HubHttp http;

  public HubEstimator(HubHttp http) {
    this.http = http;
  }

  /** The estimate of a safetensors snapshot; empty when it has no safetensors or no config.json. */
  public Optional<HubEstimate> estimate(HubSnapshot snapshot, String token, long context, String backend,
      List<String> parameters) throws IOException {
    ModelHub hub = ModelHub.of(snapshot.kind(), http);
    List<HubFile> weights = snapshot.files().stream().filter(f -> f.path().endsWith(".safetensors")).toList();
    Optional<HubFile> config = snapshot.files().stream().filter(f -> f.path().equals("config.json")).findFirst();
    if (weights.isEmpty() || config.isEmpty()) {
      return Optional.empty();
    }
    TransformerConfig shape;
    try {
      shape = TransformerConfig.of(new JsonObject(new String(range(hub.fileUrl(snapshot, config.get()), token, 0, 1 << 20),
          java.nio.charset.StandardCharsets.UTF_8)));
    } catch (DecodeException e) {
      throw new IOException("config.json of " + snapshot.repo() + " is not JSON");
    }
    SafetensorsHeader total = SafetensorsHeader.empty();
    for (HubFile file : weights) {
      total = total.plus(header(hub.fileUrl(snapshot, file), token));
    }
    return Optional.of(HubEstimate.of(total, shape, context, backend, parameters));
  }

  private SafetensorsHeader header(URI url, String token) throws IOException {
    byte[] first = range(url, token, 0, FIRST_RANGE);
    long n = SafetensorsHeader.headerLength(first);
    byte[] json = n <= first.length - 8 ? java.util.Arrays.copyOfRange(first, 8, (int) (8 + n))
        : range(url, token, 8, 8 + n - 1);
    return SafetensorsHeader.parse(json);
  }

  private byte[] range(URI url, String token, long from, long to) throws IOException {
    HttpResponse<InputStream> response = http.get(url, Map.of("Range", "bytes=" + from + "-" + to), token);
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200 && response.statusCode() != 206) {
        throw new HubException(502, response.statusCode() >= 500, "the hub answered " + response.statusCode()
            + " for " + url.getPath());
      }
      int wanted = (int) (to - from + 1);
      byte[] data = body.readNBytes(wanted);
      if (response.statusCode() == 200 && from > 0) {
        throw new HubException(502, false, "the hub ignores Range requests; cannot read headers of " + url.getPath());
      }
      return data;
    }
  }
}
