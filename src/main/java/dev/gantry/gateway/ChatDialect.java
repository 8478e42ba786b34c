package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * A client protocol the gateway serves by turning its requests into OpenAI chat completions (Anthropic
 * Messages, OpenAI Responses): how an engine's whole answer, and each of its streams, are turned back.
 *
 * @param answer the client's body for an engine's whole answer, given the model, the engine's status and body
 * @param stream a new translator for one streamed answer of the model
 */
record ChatDialect(Answer answer, Function<String, StreamTranslator> stream) {

  static final ChatDialect ANTHROPIC = new ChatDialect((model, status, body) -> (status < 300
      ? AnthropicAnswers.message(model, body) : AnthropicAnswers.error(status, body)).toBuffer(), AnthropicStream::new);

  /** Turns an engine's whole answer (2xx or an error) into the client's JSON body. */
  interface Answer {
    Buffer of(String model, int status, Buffer body);
  }

  /** Rewrites one engine's chat stream, event by event, in the client's protocol. */
  interface StreamTranslator {

    /** The client's events for one whole engine event (already counted by the tally), or null for none. */
    Buffer translate(Buffer event, StreamTally tally);

    /** The closing events, once: for {@code [DONE]}, or for an engine that ended its stream without it; null after. */
    Buffer finish(StreamTally tally);

    /** The event that ends a stream whose engine broke off mid-way. */
    Buffer error(String problem);
  }
}
