package dev.gantry.hub;

import java.util.Comparator;
import java.util.List;

/**
 * Which files of a repository a model takes. With {@code file} (a {@link FileGlob}): every match, sorted,
 * the first GGUF being what the engine loads (shards {@code -00001-of-} sort first). Without: a repo of
 * GGUF files needs a choice (the error lists them); otherwise the whole repo except weights in formats
 * no engine here reads when safetensors are present ({@code *.bin}, {@code *.pth}, {@code *.h5}, ...).
 */
public record FileSelection(List<HubFile> files, String mainFile) {

  private static final List<String> SKIPPED_BESIDE_SAFETENSORS = List.of(".bin", ".pth", ".pt", ".h5", ".msgpack",
      ".ot", ".onnx", ".gguf");

  public static FileSelection choose(List<HubFile> all, String glob, String where) throws HubException {
    List<HubFile> sorted = all.stream().sorted(Comparator.comparing(HubFile::path)).toList();
    List<HubFile> ggufs = sorted.stream().filter(f -> f.path().endsWith(".gguf")).toList();
    List<HubFile> chosen;
    if (glob != null && !glob.isBlank()) {
      FileGlob pattern = FileGlob.of(glob);
      chosen = sorted.stream().filter(f -> pattern.matches(f.path())).toList();
      if (chosen.isEmpty()) {
        throw new HubException(404, false, "no file of " + where + " matches '" + glob + "'; it has: " + sample(sorted));
      }
    } else if (sorted.stream().anyMatch(f -> f.path().endsWith(".safetensors"))) {
      chosen = sorted.stream().filter(f -> SKIPPED_BESIDE_SAFETENSORS.stream().noneMatch(f.path()::endsWith))
          .filter(f -> !f.path().startsWith("original/")).toList();
    } else if (!ggufs.isEmpty()) {
      throw new HubException(400, false, where + " holds GGUF files: set 'file' to the one to deploy (a glob such as"
          + " '*Q4_K_M*.gguf' takes every shard); it has: " + sample(ggufs));
    } else {
      chosen = sorted;
    }
    String main = chosen.stream().map(HubFile::path).filter(p -> p.endsWith(".gguf") && !p.contains("mmproj"))
        .findFirst().orElse(null);
    return new FileSelection(chosen, main);
  }

  private static String sample(List<HubFile> files) {
    List<String> names = files.stream().map(HubFile::path).limit(20).toList();
    return String.join(", ", names) + (files.size() > 20 ? ", ... (" + files.size() + " in all)" : "");
  }
}
