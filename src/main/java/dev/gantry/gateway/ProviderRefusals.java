package dev.gantry.gateway;

import dev.gantry.route.Provider;
import dev.gantry.route.ProviderKind;
import dev.gantry.route.Routing;
import dev.gantry.route.Target;

/**
 * OpenAI requests a provider model called by its own name cannot serve: an Anthropic provider speaks
 * only Messages (this gateway does not turn OpenAI chat into Anthropic's format), so it is reached through
 * {@code POST /v1/messages}. Within a route such a target is skipped instead, and the next one tried.
 * A multipart form (audio, image edits) goes only to a Gantry model by its own name: the form is passed on
 * unchanged, so its {@code model} field cannot be renamed for a route's target or a provider's model.
 */
final class ProviderRefusals {

  private ProviderRefusals() {
  }

  /** Why the request cannot go to this provider model, or null when it can. */
  static String unsupported(Operation operation, Resolved resolved, Routing routing) {
    if (operation.multipart()) {
      return "'" + resolved.name() + "' is a " + (resolved.route() != null ? "route" : "provider model") + ": "
          + operation.path() + " takes a multipart form, which is passed on unchanged only to a Gantry model called "
          + "by its own name; name such a model in the form's 'model' field";
    }
    if (resolved.route() != null || resolved.plan().isEmpty()) {
      return null;
    }
    Target target = resolved.plan().get(0);
    Provider provider = routing.provider(target.provider());
    if (provider != null && provider.kind() == ProviderKind.ANTHROPIC) {
      return "model '" + resolved.name() + "' is served by the Anthropic provider '" + provider.name()
          + "', which speaks Anthropic Messages only: call POST /v1/messages (" + operation.path()
          + " is not converted to Anthropic's format)";
    }
    return null;
  }
}
