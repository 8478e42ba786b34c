package dev.gantry.hub;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a safetensors file holds, from its header alone: an 8-byte little-endian length N, then N bytes
 * of JSON, {@code "name": {"dtype","shape","data_offsets":[begin,end]}} per tensor (plus an optional
 * {@code __metadata__}). Parameters are the product of each shape; bytes are {@code end - begin} (the
 * authoritative size, right also for GPTQ/AWQ weights packed into I32).
 */
public record SafetensorsHeader(long parameters, long bytes, Map<String, Long> parametersByDtype) {

  /** The most a header may be (the Hugging Face client's limit). */
  public static final long MAX_HEADER = 25_000_000;

  /** The header length from the file's first 8 bytes. */
  public static long headerLength(byte[] first) throws IOException {
    if (first.length < 8) {
      throw new IOException("a safetensors file starts with 8 bytes of header length; got " + first.length);
    }
    long n = ByteBuffer.wrap(first, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER) {
      throw new IOException("safetensors header length " + n + " is out of range (2.." + MAX_HEADER + ")");
    }
    return n;
  }

  public static SafetensorsHeader parse(byte[] json) throws IOException {
    JsonObject header;
    try {
      header = new JsonObject(new String(json, StandardCharsets.UTF_8).trim());
    } catch (DecodeException e) {
      throw new IOException("safetensors header is not JSON: " + e.getMessage());
    }
    long parameters = 0;
    long bytes = 0;
    Map<String, Long> byDtype = new TreeMap<>();
    for (String name : header.fieldNames()) {
      if ("__metadata__".equals(name)) {
        continue;
      }
      if (!(header.getValue(name) instanceof JsonObject tensor) || !(tensor.getValue("shape") instanceof JsonArray shape)) {
        throw new IOException("safetensors tensor '" + name + "' has no shape");
      }
      long count = 1;
      for (Object dim : shape) {
        count = Math.multiplyExact(count, ((Number) dim).longValue());
      }
      JsonArray offsets = tensor.getJsonArray("data_offsets");
      bytes += offsets == null ? 0 : offsets.getLong(1) - offsets.getLong(0);
      parameters += count;
      byDtype.merge(tensor.getString("dtype", "?"), count, Long::sum);
    }
    return new SafetensorsHeader(parameters, bytes, byDtype);
  }

  public SafetensorsHeader plus(SafetensorsHeader other) {
    Map<String, Long> merged = new TreeMap<>(parametersByDtype);
    other.parametersByDtype.forEach((k, v) -> merged.merge(k, v, Long::sum));
    return new SafetensorsHeader(parameters + other.parameters, bytes + other.bytes, merged);
  }

  public static SafetensorsHeader empty() {
    return new SafetensorsHeader(0, 0, Map.of());
  }
}
