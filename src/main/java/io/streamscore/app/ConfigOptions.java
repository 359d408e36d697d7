package io.streamscore.app;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that reads StreamScore's configuration shares. */
final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (Java properties). Default: the bundled demo configuration. STREAMSCORE_* environment variables override it.")
  Path file;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Override one key, after the file and the environment. Not for secrets: use the environment or a file for those.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * @throws org.apache.kafka.common.config.ConfigException when a secret is given with --set, where
   *     every user of the machine can read it in the process list
   */
  StreamScoreConfig load(Map<String, String> commandSettings) {
    for (String key : overrides.keySet()) {
      if (StreamScoreConfig.isSecret(key)) {
        throw new org.apache.kafka.common.config.ConfigException(key, "[hidden]", "is a secret and was given on the command line,"
            + " where any user of the machine can read it; set it in the configuration file (-c) or as "
            + StreamScoreConfig.environmentVariableFor(key));
      }
    }
    Map<String, String> extra = new LinkedHashMap<>(commandSettings);
    extra.putAll(overrides);
    return ConfigLoader.load(Optional.ofNullable(file), System.getenv(), extra);
  }
}
