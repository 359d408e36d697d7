package io.streamscore.model;

import java.util.List;

/**
 * The inputs and outputs of one SavedModel signature, in a stable order (sorted by name). This
 * class is immutable.
 */
public record ModelSignature(String key, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public ModelSignature {
    methodName = methodName == null ? "" : methodName;
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
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

  /** Method names of the signatures that take serialized tf.Example protos in one string input. */
  public static final java.util.Set<String> EXAMPLE_METHODS = java.util.Set.of("tensorflow/serving/regress", "tensorflow/serving/classify");

  /**
   * True when the signature takes serialized {@code tf.Example} protos: a regress or classify
   * method with one string input. Sources then map fields onto Example features, not onto inputs.
   */
  public boolean takesExamples() {
    return EXAMPLE_METHODS.contains(methodName) && inputs.size() == 1 && inputs.get(0).type() == TensorType.DT_STRING;
  }

  /**
   * Largest number of records one call may carry: 1 when any input has a fixed batch dimension or
   * is a scalar, otherwise unbounded.
   */
  public int maxRecordsPerCall() {
    return inputs.stream().allMatch(TensorSpec::hasDynamicBatch) ? Integer.MAX_VALUE : 1;
  }
}
