package dev.gantry.engine.container;

import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.engine.backend.InstalledEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which engine image runs which backend version in container mode: GPUStack's runner images by default
 * (engines.md §5: {@code gpustack/runner:cuda13.0-vllm0.27.1}, {@code cann8.5-a3-mindie2.3.0}; the SGLang
 * one by the same naming), plus or instead of them what {@code --container-image backend:version=image}
 * names. A node in container mode offers these versions as {@link InstalledEngine}s whose executable is
 * {@code image:<image>}.
 */
public final class ContainerImages {

  /** How an image is told apart from an executable in a node's list of engines. */
  public static final String PREFIX = "image:";
  static final Map<String, String> DEFAULTS = Map.of(
      "vllm:0.27.1", "gpustack/runner:cuda13.0-vllm0.27.1",
      "sglang:0.5.15.post1", "gpustack/runner:cuda13.0-sglang0.5.15.post1",
      "mindie:2.3.0", "gpustack/runner:cann8.5-a3-mindie2.3.0");

  private final Map<String, String> images;

  private ContainerImages(Map<String, String> images) {
    this.images = images;
  }

  /**
   * The defaults with {@code configured} ({@code backend:version → image}) over them; throws with a message
   * for a person when a key names no versioned backend or no version.
   */
  public static ContainerImages of(Map<String, String> configured) {
    Map<String, String> out = new LinkedHashMap<>(DEFAULTS);
    configured.forEach((key, image) -> {
      int colon = key.indexOf(':');
      String backend = colon < 0 ? key : key.substring(0, colon);
      String version = colon < 0 ? "" : key.substring(colon + 1);
      if (EngineBackends.byName(backend).isEmpty() || !EngineVersion.valid(version) || image == null || image.isBlank()) {
        throw new IllegalArgumentException("--container-image takes backend:version=image with backend vllm, sglang or"
            + " mindie, e.g. vllm:0.11.2=vllm/vllm-openai:v0.11.2; got '" + key + "=" + image + "'");
      }
      out.put(backend + ":" + version, image);
    });
    return new ContainerImages(out);
  }

  /** Every image as an engine this node can start, in no particular order. */
  public List<InstalledEngine> engines() {
    List<InstalledEngine> out = new ArrayList<>();
    images.forEach((key, image) -> {
      int colon = key.indexOf(':');
      out.add(new InstalledEngine(key.substring(0, colon), key.substring(colon + 1), PREFIX + image));
    });
    return out;
  }

  /** The image an engine entry names, or null when it is an executable on this node. */
  public static String imageOf(InstalledEngine engine) {
    return engine.executable().startsWith(PREFIX) ? engine.executable().substring(PREFIX.length()) : null;
  }
}
