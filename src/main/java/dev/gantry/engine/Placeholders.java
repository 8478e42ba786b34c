package dev.gantry.engine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code {{name}}} placeholders of a custom backend's command; an unknown placeholder is an error. */
public final class Placeholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /** Whether the template asks for {@code {{name}}} (spaces inside the braces allowed). */
  public static boolean uses(String template, String name) {
    Matcher matcher = PLACEHOLDER.matcher(template == null ? "" : template);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return true;
      }
    }
    return false;
  }

  public static String fill(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown placeholder {{" + matcher.group(1) + "}}; known: "
            + String.join(", ", values.keySet()));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private Placeholders() {
  }
}
