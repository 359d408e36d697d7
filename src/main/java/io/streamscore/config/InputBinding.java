package io.streamscore.config;

import java.util.List;
import java.util.Optional;

/**
 * Where one signature input gets its value for one source. Immutable.
 *
 * <ul>
 *   <li>{@link Fields}: from record fields. One path for an input that takes one value per record,
 *       or for a rank-2 input fed from an array field; several paths, in order, for a rank-2 input
 *       fed from separate fields. A path names nested fields with dots ({@code merchant.category}).
 *   <li>{@link Constant}: the same literal for every record of the source, for a feature a source
 *       cannot have (a web checkout is never card-present).
 * </ul>
 */
public sealed interface InputBinding {

  /** The input's name in the signature. */
  String input();

  /**
   * @param defaultValue the literal used when a path resolves to null (an absent optional field);
   *     without one such a record is dead-lettered
   * @param exampleFeature true when configured as {@code feature.<name>}: a {@code tf.Example}
   *     feature for signatures that take serialized Examples, rather than a signature input
   */
  record Fields(String input, List<String> paths, Optional<String> defaultValue, boolean exampleFeature) implements InputBinding {
    public Fields {
      paths = List.copyOf(paths);
    }

    public Fields(String input, List<String> paths, Optional<String> defaultValue) {
      this(input, paths, defaultValue, false);
    }
  }

  record Constant(String input, String literal) implements InputBinding {}
}
