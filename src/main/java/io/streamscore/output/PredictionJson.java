package io.streamscore.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamscore.prediction.OutputTensor;
import io.streamscore.prediction.Prediction;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prediction as a JSON object a person can read and any JSON consumer can parse:
 *
 * <pre>{@code
 * {"source":"web","topic":"payments.web-checkout","partition":0,"offset":12,
 *  "event_timestamp":"2026-11-26T10:00:00Z","model_name":"fraud","model_version":1,
 *  "outputs":{"decision":"approve","fraud_probability":0.0114,"risk_band":0},
 *  "scored_at":"2026-11-26T10:00:01.250Z","scoring_micros":412}
 * }</pre>
 *
 * A scalar output is its value (a bool output {@code true}/{@code false}); any other shape is
 * {@code {"shape":[...],"values":[...]}} with the values flattened in row-major order. Stateless.
 */
public final class PredictionJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionJson() {}

  public static ObjectNode toJson(Prediction prediction) {
    ObjectNode node = JSON.createObjectNode();
    node.put("source", prediction.getSource());
    node.put("topic", prediction.getTopic());
    node.put("partition", prediction.getPartition());
    node.put("offset", prediction.getOffset());
    node.put("event_timestamp", prediction.getEventTimestamp().toString());
    node.put("model_name", prediction.getModelName());
    node.put("model_version", prediction.getModelVersion());
    ObjectNode outputs = node.putObject("outputs");
    for (Map.Entry<String, OutputTensor> output : new TreeMap<>(prediction.getOutputs()).entrySet()) {
      OutputTensor tensor = output.getValue();
      ArrayNode values = JSON.createArrayNode();
      boolean bool = tensor.getDtype().equals("DT_BOOL");
      tensor.getFloats().forEach(values::add);
      tensor.getIntegers().forEach(v -> {
        if (bool) {
          values.add(v != 0);
        } else {
          values.add(v);
        }
      });
      tensor.getStrings().forEach(values::add);
      long elements = tensor.getShape().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
      if (elements == 1 && values.size() == 1) {
        outputs.set(output.getKey(), values.get(0));
      } else {
        ObjectNode shaped = outputs.putObject(output.getKey());
        ArrayNode shape = shaped.putArray("shape");
        tensor.getShape().forEach(shape::add);
        shaped.set("values", values);
      }
    }
    node.put("scored_at", prediction.getScoredAt().toString());
    node.put("scoring_micros", prediction.getScoringMicros());
    return node;
  }

  public static byte[] bytes(Prediction prediction) {
    try {
      return JSON.writeValueAsBytes(toJson(prediction));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write prediction as JSON: " + e.getMessage(), e);
    }
  }
}
