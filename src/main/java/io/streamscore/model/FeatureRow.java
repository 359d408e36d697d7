package io.streamscore.model;

import java.util.Arrays;
import java.util.List;

/**
 * One record's values for every input of a signature, in the order of {@link
 * ModelSignature#inputs()}. Each value already has the Java type of its input's dtype: {@code
 * Float}, {@code Double}, {@code Integer}, {@code Long}, {@code Boolean} or {@code String} for
 * inputs that take one value per record, and {@code float[]}, {@code double[]}, {@code int[]},
 * {@code long[]}, {@code boolean[]} or {@code String[]} for inputs of shape {@code [-1, n]}.
 *
 * <p>Instances are not copied defensively for speed on the hot path: callers must not mutate the
 * arrays they pass in after construction.
 */
public final class FeatureRow {
  private final Object[] values;

  public FeatureRow(Object... values) {
    this.values = values;
  }

  public static FeatureRow of(List<?> values) {
    return new FeatureRow(values.toArray());
  }

  public Object value(int inputIndex) {
    return values[inputIndex];
  }

  public int size() {
    return values.length;
  }

  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
