package dev.gantry.scheduler.estimate;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a GGUF file Gantry can read; the message names the file and the problem. */
public final class InvalidGgufException extends IOException {

  private final transient Path file;
  private final String problem;

  public InvalidGgufException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  /** What is wrong, without the file name (for example "not a GGUF file (bad magic)"). */
  public String problem() {
    return problem;
  }
}
