package dev.gantry.config;

import java.util.Map;

/**
 * Container mode ({@code --engine-runtime container}): vLLM, SGLang and MindIE run as {@code docker} or
 * {@code podman} containers of an engine image per version instead of executables on this machine.
 * {@code runtime}: the runtime's client, a name looked up on PATH or an absolute path; {@code images}:
 * {@code backend:version → image} over the built-in defaults.
 */
public record ContainerConfig(boolean enabled, String runtime, Map<String, String> images) {

  /** Engines run as processes (the default). */
  public static final ContainerConfig OFF = new ContainerConfig(false, "docker", Map.of());
}
