package dev.gantry.engine.tuning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a llama-server build accepts, read from its own {@code --help} (its version line says little:
 * builds from the npm bundle print {@code build 1}). The 2026 refactor (PR #22397) renamed the draft
 * options to {@code --spec-draft-*} and needs {@code --spec-type}; older builds take {@code --draft-max}.
 *
 * @param specRefactor the build has {@code --spec-draft-n-max} (and refuses {@code --draft-max})
 * @param specType     the build has {@code --spec-type} (n-gram self-speculation)
 * @param cacheRam     the build has {@code --cache-ram} (host-memory prompt cache)
 */
public record LlamaCppBuild(boolean specRefactor, boolean specType, boolean cacheRam) {

  private static final Map<String, LlamaCppBuild> PROBED = new ConcurrentHashMap<>();
  private static final long HELP_TIMEOUT_S = 20;

  public static LlamaCppBuild fromHelp(String help) {
    return new LlamaCppBuild(help.contains("--spec-draft-n-max"), help.contains("--spec-type"),
        help.contains("--cache-ram"));
  }

  /** Runs {@code <executable> --help} once per executable (blocking); throws when it cannot be run. */
  public static LlamaCppBuild probe(String executable) {
    return PROBED.computeIfAbsent(executable, LlamaCppBuild::run);
  }

  private static LlamaCppBuild run(String executable) {
    try {
      Process help = new ProcessBuilder(executable, "--help").redirectErrorStream(true).start();
      help.getOutputStream().close();
      String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!help.waitFor(HELP_TIMEOUT_S, TimeUnit.SECONDS)) {
        help.destroyForcibly();
      }
      return fromHelp(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot run " + executable + " --help to learn its speculative and cache"
          + " options: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + executable + " --help", e);
    }
  }

  /** In words, for messages. */
  public String describe() {
    return specRefactor ? "a 2026 build with --spec-draft-*" : "a build without --spec-draft-n-max";
  }
}
