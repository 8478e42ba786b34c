package dev.gantry.engine.builtin;

/**
 * The model named on the command line cannot be served. The message is one line that names the
 * file and the problem; the engine prints it as {@code error: <message>} and exits with code 2.
 */
final class InvalidModelException extends Exception {

  InvalidModelException(String message) {
    super(message, null, false, false);
  }
}
