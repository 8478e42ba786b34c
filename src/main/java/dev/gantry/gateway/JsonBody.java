package dev.gantry.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * Request bodies decoded as {@link Buffer#toJsonValue()} does (the same Jackson, the same tree, C-style
 * comments allowed), but from the body's own byte array: Vert.x reads a buffer through an
 * {@code InputStream}, which costs a stream, a copy into the parser's buffer and a read loop on every
 * gateway request.
 */
final class JsonBody {

  private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

  private JsonBody() {
  }

  /** The JSON value of the whole body: an object, array, string, number, boolean or null. */
  static Object parse(Buffer raw) throws DecodeException {
    try {
      return JacksonCodec.fromParser(parser(raw), Object.class);
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage(), e);
    }
  }

  /** A token parser over the body's bytes, with the same features as {@link #parse}. */
  static JsonParser parser(Buffer raw) throws IOException {
    ByteBuf bytes = raw instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (bytes == null || !bytes.hasArray()) {
      return FACTORY.createParser(raw.getBytes());
    }
    return FACTORY.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
  }
}
