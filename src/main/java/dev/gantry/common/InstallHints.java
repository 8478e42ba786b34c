package dev.gantry.common;

/** What a person does when no node can start an engine of a backend. */
public final class InstallHints {

  /** The advice for {@code backend}; empty when there is none. */
  public static String forBackend(String backend) {
    return switch (backend == null ? "" : backend) {
      case "llama.cpp" -> "llama-server was not found on any node: build it with scripts/llama-server.sh (or install "
          + "llama.cpp) and start the nodes with --llama-server <path>, or deploy the model with \"backend\":\"builtin\"";
      default -> "";
    };
  }

  private InstallHints() {
  }
}
