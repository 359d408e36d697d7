package io.streamscore.support;

import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The demo fraud model's serving signature, written out by hand so that mapping tests need no
 * TensorFlow. Inputs are sorted by name, as {@link ModelSignature} promises.
 */
public final class DemoSignatures {
  private DemoSignatures() {}

  public static final List<Long> BATCH = List.of(-1L);
  public static final List<Long> BATCH_OF_3 = List.of(-1L, 3L);

  /** The inputs the demo model's {@code serving_default} signature declares. */
  public static List<TensorSpec> fraudInputs() {
    return List.of(
        new TensorSpec("account_age_days", TensorType.DT_INT64, BATCH),
        new TensorSpec("amount", TensorType.DT_FLOAT, BATCH),
        new TensorSpec("card_present", TensorType.DT_BOOL, BATCH),
        new TensorSpec("distance_km", TensorType.DT_DOUBLE, BATCH),
        new TensorSpec("hour_of_day", TensorType.DT_INT32, BATCH),
        new TensorSpec("merchant_category", TensorType.DT_STRING, BATCH),
        new TensorSpec("velocity", TensorType.DT_FLOAT, BATCH_OF_3));
  }

  public static ModelSignature fraudModel() {
    return signature(fraudInputs());
  }

  /** The demo signature with the named input replaced by {@code replacement} (same name or not). */
  public static ModelSignature fraudModelWith(String name, TensorSpec replacement) {
    List<TensorSpec> inputs = new ArrayList<>(fraudInputs());
    inputs.removeIf(s -> s.name().equals(name));
    inputs.add(replacement);
    return signature(inputs);
  }

  /** The demo signature without the named input. */
  public static ModelSignature fraudModelWithout(String name) {
    List<TensorSpec> inputs = new ArrayList<>(fraudInputs());
    if (!inputs.removeIf(s -> s.name().equals(name))) {
      throw new IllegalArgumentException("the demo signature has no input " + name);
    }
    return signature(inputs);
  }

  public static ModelSignature signature(List<TensorSpec> inputs) {
    List<TensorSpec> sorted = inputs.stream().sorted(Comparator.comparing(TensorSpec::name)).toList();
    List<TensorSpec> outputs = List.of(
        new TensorSpec("decision", TensorType.DT_STRING, BATCH),
        new TensorSpec("fraud_probability", TensorType.DT_FLOAT, BATCH),
        new TensorSpec("risk_band", TensorType.DT_INT64, BATCH));
    return new ModelSignature("serving_default", "tensorflow/serving/predict", sorted, outputs);
  }
}
