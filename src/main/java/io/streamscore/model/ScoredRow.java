package io.streamscore.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The outputs the model produced for one {@link FeatureRow}, in the order of {@link
 * ModelSignature#outputs()}, with the version that produced them, the duration of the model call
 * that carried the row and the number of rows that call carried. Immutable.
 */
public record ScoredRow(long modelVersion, List<OutputValue> outputs, long callMicros, int batchSize) {

  public ScoredRow {
    outputs = List.copyOf(outputs);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
  }

  /** A row scored by a call that carried it alone. */
  public ScoredRow(long modelVersion, List<OutputValue> outputs, long callMicros) {
    this(modelVersion, outputs, callMicros, 1);
  }

  public Map<String, OutputValue> byName() {
    return outputs.stream().collect(Collectors.toMap(OutputValue::name, Function.identity()));
  }
}
