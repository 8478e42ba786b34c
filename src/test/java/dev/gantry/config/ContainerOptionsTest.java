package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The container-mode options: off by default, read from the command line and the environment, bad values refused. */
class ContainerOptionsTest {

  private static GantryConfig parse(Map<String, String> env, String... args) {
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).setDefaultValueProvider(new GantryDefaults(env, new Properties())).parseArgs(args);
    return command.toConfig();
  }

  @Test
  void enginesRunAsProcessesUnlessContainerModeIsAskedFor() {
    assertThat(parse(Map.of()).containers()).isEqualTo(new ContainerConfig(false, "docker", Map.of()));
    assertThat(parse(Map.of(), "--engine-runtime", "container", "--container-runtime", "podman",
        "--container-image", "vllm:0.11.2=vllm/vllm-openai:v0.11.2", "--container-image", "sglang:0.5.4=s:1").containers())
        .isEqualTo(new ContainerConfig(true, "podman", Map.of("vllm:0.11.2", "vllm/vllm-openai:v0.11.2",
            "sglang:0.5.4", "s:1")));
    assertThat(parse(Map.of("GANTRY_ENGINE_RUNTIME", "container")).containers().enabled()).isTrue();
  }

  @Test
  void anUnknownEngineRuntimeIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> parse(Map.of(), "--engine-runtime", "docker"))
        .hasMessage("--engine-runtime is 'process' or 'container', got 'docker'");
  }
}
