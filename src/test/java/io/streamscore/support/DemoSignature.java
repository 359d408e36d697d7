package io.streamscore.support;

import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.util.List;

/** The demo fraud model's signature written out by hand, for tests that must not load TensorFlow. */
public final class DemoSignature {
  private DemoSignature() {}

  public static ModelSignature inputsOnly() {
    return new ModelSignature("serving_default", "tensorflow/serving/predict", List.of(
        new TensorSpec("account_age_days", TensorType.DT_INT64, List.of(-1L)),
        new TensorSpec("amount", TensorType.DT_FLOAT, List.of(-1L)),
        new TensorSpec("card_present", TensorType.DT_BOOL, List.of(-1L)),
        new TensorSpec("distance_km", TensorType.DT_DOUBLE, List.of(-1L)),
        new TensorSpec("hour_of_day", TensorType.DT_INT32, List.of(-1L)),
        new TensorSpec("merchant_category", TensorType.DT_STRING, List.of(-1L)),
        new TensorSpec("velocity", TensorType.DT_FLOAT, List.of(-1L, 3L))),
        List.of());
  }
}
