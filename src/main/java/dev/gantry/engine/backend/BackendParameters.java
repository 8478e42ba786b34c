package dev.gantry.engine.backend;

import java.util.ArrayList;
import java.util.List;

/** Reads option names out of a model's {@code backend_parameters} ({@code --k v}, {@code --k=v}, {@code -k}). */
public final class BackendParameters {

  /** The option names given, in order ({@code --max-model-len=8192} gives {@code --max-model-len}). */
  public static List<String> optionNames(List<String> parameters) {
    List<String> names = new ArrayList<>();
    for (String word : parameters) {
      if (word.startsWith("-") && word.length() > 1 && !Character.isDigit(word.charAt(1)) && word.charAt(1) != '.') {
        int equals = word.indexOf('=');
        names.add(equals < 0 ? word : word.substring(0, equals));
      }
    }
    return names;
  }

  /** Refuses an option Gantry sets itself; the message names it and says why. */
  public static void refuseOwned(String backend, List<String> owned, List<String> parameters) {
    for (String name : optionNames(parameters)) {
      String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
      if (owned.contains(base)) {
        throw new IllegalArgumentException("backend_parameters may not set " + name + " for backend '" + backend
            + "': Gantry sets " + String.join(", ", owned) + " itself (the engine listens on 127.0.0.1 on a port"
            + " Gantry chose, under the model's name, with a key it derives)");
      }
    }
  }

  /** Refuses an option the chosen version does not have, naming the version and what to use instead. */
  public static void refuseOutOfRange(String backend, EngineVersion version, List<Flag> flags, List<String> parameters) {
    for (String name : optionNames(parameters)) {
      String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
      for (Flag flag : flags) {
        if (flag.names().contains(base) && !flag.existsIn(version)) {
          boolean removed = flag.until() != null && !version.before(flag.until());
          String why = removed ? "was removed in " + backend + " " + flag.until() : "arrived in " + backend + " " + flag.since();
          throw new IllegalArgumentException("backend_parameters: " + name + " " + why + " and does not exist in the"
              + " chosen version " + version + " (it exists in " + flag.range() + ")"
              + (flag.replacement() == null || !removed ? "" : "; use " + flag.replacement() + " instead"));
        }
      }
    }
  }

  private BackendParameters() {
  }
}
