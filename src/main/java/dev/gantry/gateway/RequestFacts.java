package dev.gantry.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * What the gateway needs from a chat, completions or embeddings body ({@code model}, {@code stream},
 * {@code stream_options.include_usage}), read by one pass of Jackson's token stream: no tree, no maps, no
 * strings but the model's name. The pass also checks everything {@link OpenAiRequests#validate} checks for
 * the operation, so a body it accepts is one validation would accept, and every other byte is only
 * tokenized (which still refuses malformed JSON).
 *
 * <p>It answers null for anything else, a body that is not plainly valid (malformed, a required field missing
 * or of the wrong type, trailing data) and one it could misread (a checked key given twice, where a parser
 * keeps the last): the caller then parses the tree as before, which says precisely what is wrong.
 *
 * <p>{@code streamOptions}: whether the body has a {@code stream_options} key at all (object or null).
 */
record RequestFacts(String model, boolean stream, boolean includeUsage, boolean streamOptions) {

  /** The facts of a valid body of {@code operation}, or null: see the class comment. */
  static RequestFacts scan(Operation operation, Buffer raw) {
    if (raw == null || raw.length() == 0 || !(operation == Operation.CHAT || operation == Operation.COMPLETIONS
        || operation == Operation.EMBEDDINGS)) {
      return null;
    }
    try (JsonParser parser = JsonBody.parser(raw)) {
      return parser.nextToken() == JsonToken.START_OBJECT ? root(operation, parser) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static RequestFacts root(Operation operation, JsonParser parser) throws IOException {
    String model = null;
    boolean required = false;
    Boolean stream = null;
    Boolean includeUsage = null;
    boolean streamSeen = false;
    boolean optionsSeen = false;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "model" -> {
          if (model != null || value != JsonToken.VALUE_STRING) {
            return null;
          }
          model = parser.getText();
        }
        case "stream" -> {
          if (streamSeen || !(value == JsonToken.VALUE_NULL || value.isBoolean())) {
            return null;
          }
          streamSeen = true;
          stream = value == JsonToken.VALUE_TRUE;
        }
        case "stream_options" -> {
          if (optionsSeen) {
            return null;
          }
          optionsSeen = true;
          if (value == JsonToken.START_OBJECT) {
            includeUsage = includeUsage(parser);
            if (includeUsage == null) {
              return null;
            }
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        default -> {
          if (name.equals(requiredField(operation))) {
            if (required || !requiredValue(operation, parser, value)) {
              return null;
            }
            required = true;
          } else {
            parser.skipChildren();
          }
        }
      }
    }
    if (token != JsonToken.END_OBJECT || parser.nextToken() != null || !required || model == null || model.isBlank()
        || model.length() > OpenAiRequests.MAX_MODEL_NAME) {
      return null;
    }
    return new RequestFacts(model, Boolean.TRUE.equals(stream), Boolean.TRUE.equals(includeUsage), optionsSeen);
  }

  private static String requiredField(Operation operation) {
    return switch (operation) {
      case CHAT -> "messages";
      case COMPLETIONS -> "prompt";
      default -> "input";
    };
  }

  /** Whether the required field's value (its first token read) is what validation asks; the value is consumed. */
  private static boolean requiredValue(Operation operation, JsonParser parser, JsonToken value) throws IOException {
    return switch (operation) {
      case CHAT -> value == JsonToken.START_ARRAY && messages(parser);
      case COMPLETIONS -> {
        parser.skipChildren();
        yield value != JsonToken.VALUE_NULL;
      }
      default -> {
        if (value == JsonToken.VALUE_STRING) {
          yield parser.getTextLength() > 0;
        }
        boolean array = value == JsonToken.START_ARRAY;
        yield array && parser.nextToken() != JsonToken.END_ARRAY && skipRest(parser);
      }
    };
  }

  /** A non-empty array of objects, each with one string {@code role}; the parser is left at the array's end. */
  private static boolean messages(JsonParser parser) throws IOException {
    int count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
      boolean role = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isRole = "role".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (isRole) {
          if (role || value != JsonToken.VALUE_STRING) {
            return false;
          }
          role = true;
        } else {
          parser.skipChildren();
        }
      }
      if (!role) {
        return false;
      }
      count++;
    }
    return token == JsonToken.END_ARRAY && count > 0;
  }

  /** The rest of an array whose first element was just read; true once at its end. */
  private static boolean skipRest(JsonParser parser) throws IOException {
    parser.skipChildren();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        return false;
      }
      parser.skipChildren();
    }
    return true;
  }

  /** {@code include_usage} of a {@code stream_options} object (false when absent or null), or null when invalid or repeated. */
  private static Boolean includeUsage(JsonParser parser) throws IOException {
    Boolean include = null;
    boolean seen = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean isInclude = "include_usage".equals(parser.currentName());
      JsonToken value = parser.nextToken();
      if (isInclude) {
        if (seen || !(value == JsonToken.VALUE_NULL || value.isBoolean())) {
          return null;
        }
        seen = true;
        include = value == JsonToken.VALUE_TRUE;
      } else {
        parser.skipChildren();
      }
    }
    return Boolean.TRUE.equals(include);
  }
}
