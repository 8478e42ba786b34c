package dev.gantry.engine.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine's version as it reports it ({@code 0.11.2}, {@code 0.5.4.post3}, {@code 0.11.1rc2},
 * {@code 2.0.RC1}), ordered the way releases are: numbers part by part, a pre-release ({@code rc},
 * {@code dev}, {@code a}, {@code b}) before its release, a {@code post} release after it.
 */
public record EngineVersion(String text, List<Integer> release, int qualifier, int qualifierNumber)
    implements Comparable<EngineVersion> {

  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern QUALIFIER = Pattern.compile("(?i)(post|rc|dev|alpha|beta|a|b)\\.?(\\d*)$");

  public static EngineVersion parse(String text) {
    String trimmed = text == null ? "" : text.trim().replaceFirst("^[vV]", "");
    List<Integer> release = new ArrayList<>();
    int qualifier = 0;
    int qualifierNumber = 0;
    for (String part : trimmed.split("[.\\-+_]")) {
      Matcher number = NUMBER.matcher(part);
      if (part.matches("\\d+")) {
        release.add(Integer.parseInt(part));
        continue;
      }
      if (number.lookingAt()) {
        release.add(Integer.parseInt(number.group()));
      }
      Matcher q = QUALIFIER.matcher(part);
      if (q.find()) {
        String kind = q.group(1).toLowerCase();
        qualifier = kind.equals("post") ? 1 : -1;
        qualifierNumber = q.group(2).isEmpty() ? 0 : Integer.parseInt(q.group(2));
      } else if (!part.isEmpty() && release.isEmpty()) {
        throw new IllegalArgumentException("not a version: '" + text + "'");
      }
      if (qualifier != 0) {
        break;
      }
    }
    if (release.isEmpty()) {
      throw new IllegalArgumentException("not a version: '" + text + "'");
    }
    return new EngineVersion(trimmed, List.copyOf(release), qualifier, qualifierNumber);
  }

  /** Whether {@code text} reads as a version. */
  public static boolean valid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public boolean atLeast(String other) {
    return compareTo(parse(other)) >= 0;
  }

  public boolean before(String other) {
    return compareTo(parse(other)) < 0;
  }

  @Override
  public int compareTo(EngineVersion other) {
    int parts = Math.max(release.size(), other.release.size());
    for (int i = 0; i < parts; i++) {
      int mine = i < release.size() ? release.get(i) : 0;
      int theirs = i < other.release.size() ? other.release.get(i) : 0;
      if (mine != theirs) {
        return Integer.compare(mine, theirs);
      }
    }
    if (qualifier != other.qualifier) {
      return Integer.compare(qualifier, other.qualifier);
    }
    return Integer.compare(qualifierNumber, other.qualifierNumber);
  }

  @Override
  public String toString() {
    return text;
  }
}
