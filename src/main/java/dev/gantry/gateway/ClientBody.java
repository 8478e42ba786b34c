package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A client's JSON request body as the gateway forwards it: whether it asks for a stream (and for the stream's
 * usage chunk), and its tree only once something needs one (a stream's body gets {@code include_usage}, a
 * provider's body is rewritten). A body sent on to an engine unchanged, most requests, is never turned into
 * a tree: {@link RequestFacts} read what routing needs from its bytes.
 */
final class ClientBody {

  /** Inserted first in a body without {@code stream_options}, which has members (a {@code model} at least). */
  private static final Buffer USAGE_REQUESTED = Buffer.buffer("\"stream_options\":{\"include_usage\":true},");

  private final Buffer raw;
  private final boolean stream;
  private final boolean includeUsage;
  private final boolean streamOptions;
  private JsonObject tree;

  private ClientBody(Buffer raw, JsonObject tree, boolean stream, boolean includeUsage, boolean streamOptions) {
    this.raw = raw;
    this.tree = tree;
    this.stream = stream;
    this.includeUsage = includeUsage;
    this.streamOptions = streamOptions;
  }

  /** A body whose bytes {@link RequestFacts} read; its tree is parsed from them when asked for. */
  static ClientBody scanned(Buffer raw, RequestFacts facts) {
    return new ClientBody(raw, null, facts.stream(), facts.includeUsage(), facts.streamOptions());
  }

  /** A body that already is a tree: one parsed to be validated, or one made from another protocol's request. */
  static ClientBody of(JsonObject tree) {
    return new ClientBody(null, tree, Boolean.TRUE.equals(tree.getValue("stream")), OpenAiRequests.clientWantsUsage(tree),
        tree.containsKey("stream_options"));
  }

  /** Whether the client asked for a streamed answer: {@code stream} is true and the operation streams at all. */
  boolean streams(Operation operation) {
    return stream && operation.streams();
  }

  /** Whether the client itself asked for a stream's final usage chunk. */
  boolean includeUsage() {
    return includeUsage;
  }

  /**
   * The body for an engine asked to stream, with {@code stream_options.include_usage} true so the engine reports the
   * stream's usage. Bytes that already ask for it go as they are, bytes without {@code stream_options} get it
   * inserted after their opening brace (no tree); anything else is rewritten from the tree.
   */
  Buffer withUsageRequested() {
    if (raw != null && includeUsage) {
      return raw;
    }
    int brace = raw == null || streamOptions ? -1 : openingBrace(raw);
    if (brace < 0) {
      return OpenAiRequests.withUsageRequested(tree());
    }
    return Buffer.buffer(raw.length() + USAGE_REQUESTED.length()).appendBuffer(raw, 0, brace + 1)
        .appendBuffer(USAGE_REQUESTED).appendBuffer(raw, brace + 1, raw.length() - brace - 1);
  }

  /** The body as a JSON object; parsed on the first call when it came as bytes (which were found valid). */
  JsonObject tree() {
    if (tree == null) {
      tree = (JsonObject) JsonBody.parse(raw);
    }
    return tree;
  }

  /** Index of the body's opening brace when only white space comes before it, else -1 (a comment, say). */
  private static int openingBrace(Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      byte b = bytes.getByte(i);
      if (b == '{') {
        return i;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return -1;
      }
    }
    return -1;
  }
}
