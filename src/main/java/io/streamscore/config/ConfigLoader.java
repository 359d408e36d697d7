package io.streamscore.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds a {@link StreamScoreConfig} from one properties file and environment variables, as a
 * container gets its settings. An environment variable {@code STREAMSCORE_X} overrides key {@code
 * x}, where in the variable's name {@code _} stands for {@code .}, {@code __} for {@code _} and
 * {@code ___} for {@code -}: {@code STREAMSCORE_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers},
 * {@code STREAMSCORE_SOURCE_WEB_INPUT_HOUR__OF__DAY} sets {@code source.web.input.hour_of_day}.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "STREAMSCORE_";
  /** STREAMSCORE_* variables that configure logging (read by logback.xml), not StreamScore's keys. */
  public static final java.util.Set<String> LOGGING_VARIABLES = java.util.Set.of("STREAMSCORE_LOG_LEVEL", "STREAMSCORE_LOG_FORMAT");
  /** The demo configuration shipped inside the jar, used when no file is given. */
  public static final String DEMO_RESOURCE = "/streamscore-demo.properties";

  private ConfigLoader() {}

  /**
   * Reads {@code file} (or the bundled demo configuration when empty), applies environment
   * overrides, then {@code extra} overrides, and validates the result.
   *
   * @throws ConfigException naming the key when the result is invalid, or the file when it cannot be read
   */
  public static StreamScoreConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> extra) {
    Map<String, String> values = new TreeMap<>(read(file));
    values.putAll(fromEnvironment(environment));
    values.putAll(extra);
    return new StreamScoreConfig(values);
  }

  public static Map<String, String> read(Optional<Path> file) {
    Properties properties = new Properties();
    if (file.isPresent()) {
      try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new ConfigException("configuration file " + file.get().toAbsolutePath() + " is not UTF-8 text (" + e
            + "); save it as UTF-8");
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + file.get().toAbsolutePath() + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        // Properties.load's only complaint about content (found by fuzzing): a backslash-u not followed by four hex digits.
        throw new ConfigException("configuration file " + file.get().toAbsolutePath() + " is not a valid properties file: "
            + e.getMessage() + " A backslash followed by u starts a Unicode escape of four hex digits (\\u00e9);"
            + " write a literal backslash as two (C:\\\\models)");
      }
    } else {
      try (InputStream in = ConfigLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
        if (in == null) {
          throw new ConfigException("the bundled demo configuration " + DEMO_RESOURCE + " is missing from the class path");
        }
        properties.load(in);
      } catch (IOException e) {
        throw new ConfigException("cannot read the bundled demo configuration: " + e.getMessage());
      }
    }
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k.trim(), properties.getProperty(k).trim()));
    return values;
  }

  /** The configuration keys set by {@code STREAMSCORE_*} variables. */
  public static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && !LOGGING_VARIABLES.contains(name)) {
        values.put(keyFor(name), value);
      }
    });
    return values;
  }

  /** Inverse of {@link StreamScoreConfig#environmentVariableFor(String)}. */
  public static String keyFor(String variable) {
    String rest = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    StringBuilder key = new StringBuilder();
    int i = 0;
    while (i < rest.length()) {
      if (rest.startsWith("___", i)) {
        key.append('-');
        i += 3;
      } else if (rest.startsWith("__", i)) {
        key.append('_');
        i += 2;
      } else if (rest.charAt(i) == '_') {
        key.append('.');
        i++;
      } else {
        key.append(rest.charAt(i++));
      }
    }
    return key.toString();
  }
}
