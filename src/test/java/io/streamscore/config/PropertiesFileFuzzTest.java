package io.streamscore.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.support.FuzzFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Any properties file given to {@code streamscore run --config} (written to one scratch file per
 * run; relative paths in it start at the project directory, where the demo's schemas are).
 *
 * <p>Contract: {@link ConfigLoader#load} returns a validated configuration whose every accessor
 * (read as start-up reads them: model path, sources, registry settings, limits...) answers, or one
 * of them throws {@link ConfigException} with a message: start-up stops and says what is wrong
 * ({@code StreamScoreCommand} prints it). Never another exception (a stack trace instead of a
 * message) or a hang.
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
      StreamScoreConfig config = ConfigLoader.load(Optional.of(FILE), Map.of(), Map.of());
      for (Method accessor : ACCESSORS) {
        read(accessor, config);
      }
    } catch (ConfigException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }

  /** Every public accessor of the typed configuration, in a stable order. */
  private static final List<Method> ACCESSORS = Arrays.stream(StreamScoreConfig.class.getDeclaredMethods())
      .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0)
      .sorted(Comparator.comparing(Method::getName))
      .toList();

  /** Calls {@code accessor}; what it throws is thrown as itself, not wrapped by reflection. */
  private static void read(Method accessor, StreamScoreConfig config) {
    try {
      accessor.invoke(config);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException thrown) {
        throw thrown;
      }
      throw new AssertionError(accessor.getName() + " threw " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
