package dev.gantry.engine;

import java.util.ArrayList;
import java.util.List;

/** Splits a command template into words like a shell would for plain words, 'single' and "double" quotes. */
public final class CommandLineWords {

  public static List<String> split(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(current.toString());
          current.setLength(0);
          inWord = false;
        }
      } else {
        current.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in command: " + command);
    }
    if (inWord) {
      words.add(current.toString());
    }
    return words;
  }

  private CommandLineWords() {
  }
}
