package dev.gantry.common;

/** What a person does when no node can start an engine of a backend. */
public final class InstallHints {

  /** The advice for {@code backend}; empty when there is none. */
  public static String forBackend(String backend) {
    return switch (backend == null ? "" : backend) {
      case "llama.cpp" -> "llama-server was not found on any node: build it with scripts/llama-server.sh (or install "
          + "llama.cpp) and start the nodes with --llama-server <path>, or deploy the model with \"backend\":\"builtin\"";
      case "vllm", "sglang" -> backend + " was not found on any node: install it on PATH, or one virtual environment per"
          + " version as <engines-dir>/" + backend + "/<version>/bin/" + backend + " and start the nodes with --engines-dir";
      case "mindie" -> "MindIE was not found on any node: link its mindieservice_daemon as"
          + " <engines-dir>/mindie/<version>/bin/mindieservice_daemon and start the nodes with --engines-dir";
      default -> "";
    };
  }

  private InstallHints() {
  }
}
