package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@link TestEngine}'s audio and image endpoints, in OpenAI's shapes with usage: each JSON answer says
 * what the engine received (path, content type, length and SHA-256 of the body), so a test can prove the
 * gateway passed a multipart form on byte for byte; {@code /v1/audio/speech} answers {@link #SPEECH} as
 * {@code audio/mpeg}.
 */
final class TestMediaAnswers {

  /** The bytes of the speech answer: every byte value once, so a text conversion anywhere would show. */
  static final byte[] SPEECH = new byte[256];

  static {
    for (int i = 0; i < SPEECH.length; i++) {
      SPEECH[i] = (byte) i;
    }
  }

  static void answer(HttpServerRequest request, Buffer body) {
    if (request.path().equals("/v1/audio/speech")) {
      request.response().putHeader("Content-Type", "audio/mpeg").end(Buffer.buffer(SPEECH));
      return;
    }
    JsonObject received = new JsonObject().put("path", request.path())
        .put("content_type", request.getHeader("Content-Type")).put("length", body.length()).put("sha256", sha256(body));
    JsonObject answer = request.path().startsWith("/v1/audio/")
        ? new JsonObject().put("text", "heard " + body.length() + " bytes")
            .put("usage", new JsonObject().put("type", "tokens").put("input_tokens", 11).put("output_tokens", 4)
                .put("total_tokens", 15))
        : new JsonObject().put("created", 1_700_000_000).put("data", new JsonArray().add(new JsonObject().put("b64_json", "AAAA")))
            .put("usage", new JsonObject().put("input_tokens", 5).put("output_tokens", 16).put("total_tokens", 21));
    request.response().putHeader("Content-Type", "application/json").end(answer.put("received", received).encode());
  }

  /** A form as the SDKs send it: the file first, then the model (when given) and a language field. */
  static byte[] form(String boundary, String model, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
        + "Content-Type: audio/wav\r\n\r\n");
    out.writeBytes(file);
    if (model != null) {
      write(out, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model);
    }
    write(out, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nen\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(Buffer body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private TestMediaAnswers() {
  }
}
