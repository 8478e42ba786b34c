package dev.gantry.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The multipart requests the gateway passes on unchanged ({@code /v1/audio/transcriptions},
 * {@code /v1/audio/translations}, {@code /v1/images/edits}): their {@code model} form field, and the
 * little the gateway checks before it picks a replica (a multipart form that names a model); the file
 * and every other field are the engine's to judge.
 */
final class PassThroughForms {

  /** The form's {@code model} field, or "" when the body is no form or names no model. */
  static String model(RoutingContext ctx) {
    String boundary = MultipartForms.boundary(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
    if (boundary == null || ctx.body().buffer() == null) {
      return "";
    }
    String model = MultipartForms.field(ctx.body().buffer(), boundary, "model");
    return model == null || model.length() > OpenAiRequests.MAX_MODEL_NAME ? "" : model.strip();
  }

  /** A 400 naming what is wrong, unless the body is a multipart form with a {@code model} field. */
  static void validate(RoutingContext ctx, Operation operation) {
    if (MultipartForms.boundary(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)) == null) {
      throw OpenAiRequests.invalid("Content-Type", "must be multipart/form-data with a boundary: " + operation.path()
          + " takes a form with the file and the fields 'model', ...");
    }
    if (model(ctx).isBlank()) {
      throw OpenAiRequests.invalid("model", "is required: a form field naming a model (GET /v1/models lists them)");
    }
  }

  private PassThroughForms() {
  }
}
