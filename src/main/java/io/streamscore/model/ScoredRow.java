package io.streamscore.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The outputs the model produced for one {@link FeatureRow}, in the order of {@link
 * ModelSignature#outputs()}, with the version that produced them and the duration of the model
 * call that carried the row. Immutable.
 */
public record ScoredRow(long modelVersion, List<OutputValue> outputs, long callMicros) {

  public ScoredRow {
    outputs = List.copyOf(outputs);
  }

  public Map<String, OutputValue> byName() {
    return outputs.stream().collect(Collectors.toMap(OutputValue::name, Function.identity()));
  }
}
