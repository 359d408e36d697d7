package io.streamscore.model;

import java.util.List;
import java.util.Optional;

/**
 * The inputs and outputs of one SavedModel signature, in a stable order (sorted by name). This
 * class is immutable.
 */
public record ModelSignature(String key, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Position of the named input in {@link #inputs()}, or -1. */
  public int inputIndex(String name) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Largest number of records one call may carry: 1 when any input has a fixed batch dimension or
   * is a scalar, otherwise unbounded.
   */
  public int maxRecordsPerCall() {
    return inputs.stream().allMatch(TensorSpec::hasDynamicBatch) ? Integer.MAX_VALUE : 1;
  }
}
