package io.streamscore.topology;

import io.streamscore.model.OutputValue;
import io.streamscore.model.ScoredRow;
import io.streamscore.prediction.OutputTensor;
import io.streamscore.prediction.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the Avro {@link Prediction} for one scored record. Stateless. */
public final class PredictionFactory {
  private PredictionFactory() {}

  public static Prediction create(String source, String topic, int partition, long offset, long eventTimestamp,
      String modelName, ScoredRow scored, Instant scoredAt) {
    Map<String, OutputTensor> outputs = new HashMap<>();
    for (OutputValue value : scored.outputs()) {
      outputs.put(value.name(), OutputTensor.newBuilder()
          .setDtype(value.type().name())
          .setShape(value.shape())
          .setFloats(boxed(value.floats()))
          .setIntegers(boxed(value.integers()))
          .setStrings(List.of(value.strings()))
          .build());
    }
    return Prediction.newBuilder()
        .setSource(source)
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setEventTimestamp(Instant.ofEpochMilli(eventTimestamp))
        .setModelName(modelName)
        .setModelVersion(scored.modelVersion())
        .setOutputs(outputs)
        .setScoredAt(scoredAt)
        .setScoringMicros(scored.callMicros())
        .build();
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static List<Long> boxed(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}
