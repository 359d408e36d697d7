package io.streamscore.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One named input or output of a signature: its dtype and its shape, where -1 is a dynamic
 * dimension. This class is immutable.
 *
 * @param name the signature's key for this tensor (not the graph operation name)
 * @param type the dtype
 * @param shape the dimensions; the first one is the batch dimension when the rank is at least 1
 */
public record TensorSpec(String name, TensorType type, List<Long> shape) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = List.copyOf(shape);
  }

  public int rank() {
    return shape.size();
  }

  /**
   * True when records can be stacked along the first dimension: rank at least 1 and a dynamic
   * batch dimension. Inputs with a fixed batch dimension (shape {@code [1]}) or a scalar shape take
   * one record per call.
   */
  public boolean hasDynamicBatch() {
    return !shape.isEmpty() && shape.get(0) < 0;
  }

  /**
   * Number of values one record contributes: 1 for {@code [-1]}, {@code [1]} and scalars,
   * {@code n} for {@code [-1, n]}.
   */
  public int valuesPerRecord() {
    long n = 1;
    for (int i = 1; i < shape.size(); i++) {
      n *= shape.get(i);
    }
    return (int) n;
  }

  /** True when one record's slice has a fixed, fully known size (no -1 beyond the batch dimension). */
  public boolean hasKnownRecordShape() {
    for (int i = 1; i < shape.size(); i++) {
      if (shape.get(i) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The shape as TensorFlow prints it, e.g. {@code [-1, 3]}. */
  public String shapeText() {
    return shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return name + " " + type + " " + shapeText();
  }
}
