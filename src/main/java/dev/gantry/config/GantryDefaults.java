package dev.gantry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values that were not given on the command line: first the environment variable
 * ({@code --cluster-port} → {@code GANTRY_CLUSTER_PORT}), then the config file
 * ({@code cluster-port=5701} in {@code conf/gantry.properties} or the file named by {@code GANTRY_CONFIG}).
 * Options found in neither keep their annotated default.
 */
public final class GantryDefaults implements CommandLine.IDefaultValueProvider {

  private final Map<String, String> env;
  private final Properties file;

  public GantryDefaults() {
    this(System.getenv(), loadFile(Path.of(System.getenv().getOrDefault("GANTRY_CONFIG", "conf/gantry.properties"))));
  }

  public GantryDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String key = option.longestName().replaceFirst("^--", "");
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file.getProperty(key);
  }

  public static String envName(String optionName) {
    return "GANTRY_" + optionName.replace('-', '_').toUpperCase();
  }

  static Properties loadFile(Path path) {
    Properties properties = new Properties();
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read config file " + path + ": " + e.getMessage(), e);
      }
    }
    return properties;
  }
}
