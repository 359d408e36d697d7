package io.streamscore.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record's features for a signature that takes serialized {@code tf.Example} protos (method
 * {@code tensorflow/serving/regress} or {@code classify}): float, int64 and bytes feature lists by
 * feature name. The model runtime serializes it; the rest of StreamScore never sees protobuf.
 * Immutable once built; the arrays must not be changed after {@link Builder#build()}.
 */
public record ExampleFeatures(Map<String, float[]> floats, Map<String, long[]> int64s, Map<String, List<String>> bytes) {

  public ExampleFeatures {
    floats = Map.copyOf(floats);
    int64s = Map.copyOf(int64s);
    bytes = Map.copyOf(bytes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects features; not thread-safe. */
  public static final class Builder {
    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, long[]> int64s = new LinkedHashMap<>();
    private final Map<String, List<String>> bytes = new LinkedHashMap<>();

    public Builder floats(String name, float... values) {
      floats.put(name, values);
      return this;
    }

    public Builder int64s(String name, long... values) {
      int64s.put(name, values);
      return this;
    }

    public Builder bytes(String name, List<String> values) {
      bytes.put(name, List.copyOf(values));
      return this;
    }

    public ExampleFeatures build() {
      return new ExampleFeatures(floats, int64s, bytes);
    }
  }
}
