package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.support.FuzzFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Any properties file given to {@code streamscore run --config} (written to one scratch file per
 * run; relative paths in it start at the project directory, where the demo's schemas are).
 *
 * <p>Contract: {@link ConfigLoader#load} returns a validated configuration, or throws {@link
 * ConfigException} with a message: start-up stops and says what is wrong. Never another exception
 * (a stack trace instead of a message) or a hang.
 */
class PropertiesFileFuzzTest {
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    try {
      Path file = Files.createTempFile("streamscore-fuzz", ".properties");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void shouldLoadAnyPropertiesFileOrStopStartUpWithAConfigException(byte[] data) throws IOException {
    Files.write(FILE, data);
    try {
      assertNotNull(ConfigLoader.load(Optional.of(FILE), Map.of(), Map.of()));
    } catch (ConfigException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
