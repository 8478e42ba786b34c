package dev.gantry.testing.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Mutated bodies for a request that has no schema to go by (the gateway's OpenAI and Anthropic bodies):
 * every value anywhere in a valid sample, however deep (a message's content block, a tool's parameters),
 * replaced in turn by each hostile value of a short list, and every field and element left out in turn. The
 * label of a body is the JSON pointer it changed and what it put there.
 */
public final class TreeMutations {

  /** The hostile values put at every place: each wrong type once, and a few edge cases of each type. */
  private static final Set<String> VALUES = Set.of("null", "true", "zero", "minus one", "1e400", "2^63", "empty string",
      "empty array", "array of null", "empty object", "nested object", "lone high surrogate", "NUL inside");

  /** Put where the value goes, then replaced in the encoded text (a hostile value may not be valid JSON to Jackson). */
  private static final String MARKER = "fuzz-marker-7f3a9c";

  private TreeMutations() {
  }

  /** Every mutation of {@code sample}, in a stable order. */
  public static List<BodyMutations.Body> of(JsonObject sample) {
    List<BodyMutations.Body> bodies = new ArrayList<>();
    List<String> pointers = new ArrayList<>();
    collect(sample, "", pointers);
    List<HostileValues.Value> values = HostileValues.JSON.stream().filter(v -> VALUES.contains(v.label())).toList();
    for (String pointer : pointers) {
      for (HostileValues.Value value : values) {
        JsonObject copy = sample.copy();
        set(copy, pointer, MARKER);
        String text = copy.encode().replace("\"" + MARKER + "\"", value.text());
        bodies.add(body(pointer + " = " + value.label(), text));
      }
      JsonObject copy = sample.copy();
      remove(copy, pointer);
      bodies.add(body(pointer + " left out", copy.encode()));
    }
    return bodies;
  }

  private static BodyMutations.Body body(String label, String text) {
    return new BodyMutations.Body(label, BodyMutations.JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void collect(Object node, String pointer, List<String> out) {
    if (node instanceof JsonObject object) {
      for (String field : object.fieldNames()) {
        String child = pointer + "/" + field;
        out.add(child);
        collect(object.getValue(field), child, out);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        String child = pointer + "/" + i;
        out.add(child);
        collect(array.getValue(i), child, out);
      }
    }
  }

  private static void set(JsonObject root, String pointer, Object value) {
    Object parent = parent(root, pointer);
    String last = pointer.substring(pointer.lastIndexOf('/') + 1);
    if (parent instanceof JsonObject object) {
      object.put(last, value);
    } else {
      ((JsonArray) parent).set(Integer.parseInt(last), value);
    }
  }

  private static void remove(JsonObject root, String pointer) {
    Object parent = parent(root, pointer);
    String last = pointer.substring(pointer.lastIndexOf('/') + 1);
    if (parent instanceof JsonObject object) {
      object.remove(last);
    } else {
      ((JsonArray) parent).remove(Integer.parseInt(last));
    }
  }

  private static Object parent(JsonObject root, String pointer) {
    Object node = root;
    String[] steps = pointer.substring(1).split("/");
    for (int i = 0; i < steps.length - 1; i++) {
      node = node instanceof JsonObject object ? object.getValue(steps[i])
          : ((JsonArray) node).getValue(Integer.parseInt(steps[i]));
    }
    return node;
  }
}
