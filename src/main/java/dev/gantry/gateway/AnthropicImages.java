package dev.gantry.gateway;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An Anthropic {@code image} content block as an OpenAI chat {@code image_url} part: a {@code base64}
 * source becomes a {@code data:} URL of its media type, a {@code url} source its URL. Whether the model
 * can see images is its engine's to say (a text-only engine refuses the part).
 */
final class AnthropicImages {

  /** The media types Anthropic accepts for images. */
  static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  static JsonObject part(JsonObject block, String field) {
    if (!(block.getValue("source") instanceof JsonObject source)) {
      throw invalid(field + ".source", "is required: {\"type\": \"base64\", \"media_type\", \"data\"} or {\"type\": \"url\", \"url\"}");
    }
    String url = switch (String.valueOf(source.getValue("type"))) {
      case "base64" -> {
        Object mediaType = source.getValue("media_type");
        if (!(mediaType instanceof String type) || !MEDIA_TYPES.contains(type)) {
          throw invalid(field + ".source.media_type", "must be one of image/jpeg, image/png, image/gif, image/webp");
        }
        if (!(source.getValue("data") instanceof String data) || data.isEmpty()) {
          throw invalid(field + ".source.data", "is required: the image's bytes in base64");
        }
        yield "data:" + type + ";base64," + data;
      }
      case "url" -> {
        if (!(source.getValue("url") instanceof String given) || given.isEmpty()) {
          throw invalid(field + ".source.url", "is required: the image's URL");
        }
        yield given;
      }
      default -> throw invalid(field + ".source.type", "must be \"base64\" or \"url\"");
    };
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static RuntimeException invalid(String field, String problem) {
    return OpenAiRequests.invalid(field, problem);
  }

  private AnthropicImages() {
  }
}
