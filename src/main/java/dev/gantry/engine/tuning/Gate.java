package dev.gantry.engine.tuning;

import dev.gantry.engine.backend.EngineVersion;

/** Refusals that name what was asked, the backend and the version, with the version that would do. */
final class Gate {

  /** Throws unless {@code version} (null: not chosen yet, checked again at launch) is at least {@code since}. */
  static void since(String what, String backend, EngineVersion version, String since) {
    if (version != null && since != null && !version.atLeast(since)) {
      throw new IllegalArgumentException(what + " needs " + backend + " >= " + since + "; the chosen version is " + version);
    }
  }

  static IllegalArgumentException cannot(String what, String backend, String can) {
    return new IllegalArgumentException("backend '" + backend + "' cannot do " + what + " (it can: " + can + ")");
  }

  private Gate() {
  }
}
