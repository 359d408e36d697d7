package io.streamscore.model;

import java.util.Arrays;
import java.util.List;

/**
 * One record's slice of one signature output. Exactly one of {@code floats}, {@code integers} and
 * {@code strings} holds the values, chosen by dtype: float and double go to {@code floats}, int32,
 * int64 and bool (as 0 or 1) to {@code integers}, strings to {@code strings}. The other two are
 * empty. Immutable: the arrays are never exposed for writing.
 *
 * @param shape the slice's shape, batch dimension removed; empty for one value per record
 */
public record OutputValue(String name, TensorType type, List<Long> shape, double[] floats, long[] integers, String[] strings) {

  public OutputValue {
    shape = List.copyOf(shape);
  }

  public static OutputValue ofFloats(String name, TensorType type, List<Long> shape, double[] values) {
    return new OutputValue(name, type, shape, values, new long[0], new String[0]);
  }

  public static OutputValue ofIntegers(String name, TensorType type, List<Long> shape, long[] values) {
    return new OutputValue(name, type, shape, new double[0], values, new String[0]);
  }

  public static OutputValue ofStrings(String name, TensorType type, List<Long> shape, String[] values) {
    return new OutputValue(name, type, shape, new double[0], new long[0], values);
  }

  /** The first value as a double, for single-valued numeric outputs. */
  public double firstAsDouble() {
    if (floats.length > 0) {
      return floats[0];
    }
    if (integers.length > 0) {
      return integers[0];
    }
    throw new IllegalStateException("output " + name + " of type " + type + " holds no number");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputValue other
        && name.equals(other.name)
        && type == other.type
        && shape.equals(other.shape)
        && Arrays.equals(floats, other.floats)
        && Arrays.equals(integers, other.integers)
        && Arrays.equals(strings, other.strings);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(floats) + Arrays.hashCode(integers) + Arrays.hashCode(strings);
  }

  @Override
  public String toString() {
    String values = floats.length > 0 ? Arrays.toString(floats)
        : integers.length > 0 ? Arrays.toString(integers) : Arrays.toString(strings);
    return name + "=" + values;
  }
}
