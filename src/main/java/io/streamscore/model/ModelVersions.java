package io.streamscore.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds model versions on disk in TensorFlow Serving's layout: a base directory whose numeric
 * subdirectories each hold one SavedModel. Stateless.
 */
public final class ModelVersions {
  private ModelVersions() {}

  /** A SavedModel directory and the version number it is served as. */
  public record Version(long number, Path directory) {}

  /**
   * The newest version under {@code basePath}; if {@code basePath} is itself a SavedModel, that
   * directory as version 0.
   *
   * @throws ModelLoadException naming the path when nothing servable is there
   */
  public static Version latest(Path basePath) {
    return VersionPolicy.latest().choose(list(basePath)).orElseThrow(() -> new ModelLoadException("no model version under "
        + basePath.toAbsolutePath() + ": expected numeric directories (e.g. 1/, 2/) each holding saved_model.pb"));
  }

  /**
   * Every servable version under {@code basePath}, oldest first: numeric directories holding a
   * {@code saved_model.pb}. A {@code basePath} that is itself a SavedModel is version 0.
   *
   * @throws ModelLoadException naming the path when it is not a directory
   */
  public static List<Version> list(Path basePath) {
    if (Files.isRegularFile(basePath.resolve("saved_model.pb"))) {
      return List.of(new Version(0, basePath));
    }
    if (!Files.isDirectory(basePath)) {
      throw new ModelLoadException("model path " + basePath.toAbsolutePath()
          + " does not exist or is not a directory; expected a SavedModel directory or a base"
          + " directory of numeric version directories such as " + basePath.resolve("1"));
    }
    try (Stream<Path> children = Files.list(basePath)) {
      return children
          .filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .map(p -> new Version(Long.parseLong(p.getFileName().toString()), p))
          .sorted(Comparator.comparingLong(Version::number))
          .toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list model versions under " + basePath.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
