package dev.gantry.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Engine logs on disk: {@code <data-dir>/logs/<instance name>/<restart>.log}, one file per start, so
 * the output of a crashed run is kept next to the run that replaced it. Blocking file I/O.
 */
public final class EngineLogFiles {

  static final int MAX_CHUNK = 256 * 1024;
  /** Terminal colour and cursor codes (vLLM's and SGLang's coloured log levels). */
  private static final Pattern ANSI_CODES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

  private final Path root;

  public EngineLogFiles(Path dataDir) {
    this.root = dataDir.resolve("logs");
  }

  public Path fileFor(String instanceName, int restart) throws IOException {
    Path dir = root.resolve(instanceName);
    Files.createDirectories(dir);
    return dir.resolve(restart + ".log");
  }

  /** The newest log of an instance, or null when it never started here. */
  public Path latest(String instanceName, int restart) {
    Path file = root.resolve(instanceName).resolve(restart + ".log");
    return Files.exists(file) ? file : null;
  }

  /** The last {@code lines} lines and the offset after them. */
  public static Chunk tail(Path file, int lines) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long start = Math.max(0, length - MAX_CHUNK);
      byte[] bytes = new byte[(int) (length - start)];
      raf.seek(start);
      raf.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      Deque<String> kept = new ArrayDeque<>();
      for (String line : text.split("\n", -1)) {
        kept.addLast(line);
        if (kept.size() > lines + 1) {
          kept.removeFirst();
        }
      }
      String joined = String.join("\n", kept);
      return new Chunk(lines == 0 ? "" : joined, length);
    }
  }

  /** What was written after {@code offset} (at most {@link #MAX_CHUNK} bytes). */
  public static Chunk from(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long begin = offset > length ? 0 : offset;
      int size = (int) Math.min(MAX_CHUNK, length - begin);
      byte[] bytes = new byte[size];
      raf.seek(begin);
      raf.readFully(bytes);
      return new Chunk(new String(bytes, StandardCharsets.UTF_8), begin + size);
    }
  }

  /**
   * The last non-blank line, preferring one that starts with "error", for a state message; the engine's
   * key is blanked out first, as the message goes into the instance's state, which every user who may
   * see the instance reads, and into the node's log.
   */
  public static String lastProblem(Path file, String secret) {
    try {
      String text = tail(file, 40).data();
      if (secret != null && !secret.isEmpty()) {
        text = text.replace(secret, "<engine key>");
      }
      String last = null;
      for (String line : text.split("\n")) {
        String stripped = line.strip();
        if (stripped.toLowerCase().startsWith("error") || stripped.contains("error:")) {
          last = stripped;
        }
      }
      if (last == null) {
        for (String line : text.split("\n")) {
          if (!line.isBlank()) {
            last = line.strip();
          }
        }
      }
      return last == null ? "no output" : last.length() > 300 ? last.substring(0, 300) + "..." : last;
    } catch (IOException e) {
      return "log unreadable: " + e.getMessage();
    }
  }

  /**
   * The last line the engine wrote, for a starting engine's state message: the key blanked out as in
   * {@link #lastProblem}, a progress bar's latest redraw (text after its last carriage return), at most 200
   * characters; null when it has written nothing.
   */
  public static String lastLine(Path file, String secret) {
    try {
      String text = tail(file, 8).data();
      if (secret != null && !secret.isEmpty()) {
        text = text.replace(secret, "<engine key>");
      }
      String last = null;
      for (String line : ANSI_CODES.matcher(text).replaceAll("").split("[\r\n]")) {
        if (!line.isBlank()) {
          last = line.strip();
        }
      }
      return last == null ? null : last.length() > 200 ? last.substring(0, 200) + "..." : last;
    } catch (IOException e) {
      return null;
    }
  }

  public record Chunk(String data, long offset) {
  }
}
