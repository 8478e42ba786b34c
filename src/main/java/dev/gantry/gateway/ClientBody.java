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

  private final Buffer raw;
  private final boolean stream;
  private final boolean includeUsage;
  private JsonObject tree;

  private ClientBody(Buffer raw, JsonObject tree, boolean stream, boolean includeUsage) {
    this.raw = raw;
    this.tree = tree;
    this.stream = stream;
    this.includeUsage = includeUsage;
  }

  /** A body whose bytes {@link RequestFacts} read; its tree is parsed from them when asked for. */
  static ClientBody scanned(Buffer raw, RequestFacts facts) {
    return new ClientBody(raw, null, facts.stream(), facts.includeUsage());
  }

  /** A body that already is a tree: one parsed to be validated, or one made from another protocol's request. */
  static ClientBody of(JsonObject tree) {
    return new ClientBody(null, tree, Boolean.TRUE.equals(tree.getValue("stream")), OpenAiRequests.clientWantsUsage(tree));
  }

  /** Whether the client asked for a streamed answer: {@code stream} is true and the operation streams at all. */
  boolean streams(Operation operation) {
    return stream && operation.streams();
  }

  /** Whether the client itself asked for a stream's final usage chunk. */
  boolean includeUsage() {
    return includeUsage;
  }

  /** The body as a JSON object; parsed on the first call when it came as bytes (which were found valid). */
  JsonObject tree() {
    if (tree == null) {
      tree = (JsonObject) JsonBody.parse(raw);
    }
    return tree;
  }
}
