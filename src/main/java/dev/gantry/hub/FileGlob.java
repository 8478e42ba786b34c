package dev.gantry.hub;

import java.util.regex.Pattern;

/**
 * An fnmatch-style pattern over repository paths, as GPUStack and the hub clients use them: {@code *}
 * matches anything including {@code /} (so one glob takes every shard, in subfolders too), {@code ?} one
 * character; everything else is literal.
 */
public final class FileGlob {

  private final Pattern pattern;

  private FileGlob(Pattern pattern) {
    this.pattern = pattern;
  }

  public static FileGlob of(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new FileGlob(Pattern.compile(regex.toString()));
  }

  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }
}
