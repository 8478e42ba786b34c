package dev.gantry.gateway;

import dev.gantry.route.Provider;
import dev.gantry.route.ProviderKind;
import dev.gantry.route.Routing;
import dev.gantry.route.Target;

/**
 * OpenAI requests a provider model called by its own name cannot serve: an Anthropic provider speaks
 * only Messages, to which the gateway converts chat completions (and what comes as chat: Responses) but
 * nothing else. Within a route such a target is skipped instead, and the next one tried.
 * A multipart form (audio, image edits) goes to any target but an Anthropic provider, its {@code model}
 * field renamed for the target ({@link MultipartForms#withField}).
 */
final class ProviderRefusals {

  private ProviderRefusals() {
  }

  /** Why the request cannot go to this provider model, or null when it can. */
  static String unsupported(Operation operation, Resolved resolved, Routing routing) {
    if (resolved.route() != null || resolved.plan().isEmpty()) {
      return null;
    }
    Target target = resolved.plan().get(0);
    Provider provider = routing.provider(target.provider());
    if (provider != null && provider.kind() == ProviderKind.ANTHROPIC && operation != Operation.CHAT) {
      return "model '" + resolved.name() + "' is served by the Anthropic provider '" + provider.name()
          + "', which speaks Anthropic Messages: chat completions are converted to it, " + operation.path()
          + " is not (call POST /v1/chat/completions or POST /v1/messages)";
    }
    return null;
  }
}
