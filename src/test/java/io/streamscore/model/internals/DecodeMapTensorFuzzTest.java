package io.streamscore.model.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.TensorSpec;
import io.streamscore.source.FeatureMappingException;
import io.streamscore.source.InputSource;
import io.streamscore.source.RecordDecodingException;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.FuzzFixtures;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Tensor;

/**
 * Any record value, all the way a scored record goes before the model call: decode, map to a
 * feature row, build the input tensors of the demo model's signature (TensorFlow's native tensors,
 * without running a session, so thousands of inputs a second). The first byte picks the source.
 *
 * <p>Contract: the record is rejected with {@link RecordDecodingException} or {@link
 * FeatureMappingException} and a reason (a dead letter), or every input tensor builds with the
 * signature's shape for one record. A row the mapping accepted never fails in tensor building
 * (there it would surface as a model failure with a Java exception's message).
 */
class DecodeMapTensorFuzzTest {
  private static final SourceRegistry SOURCES = FuzzFixtures.demoSources(Optional.empty());
  private static final List<TensorSpec> INPUTS = DemoSignatures.fraudModel().inputs();

  @FuzzTest(maxDuration = "10m")
  void shouldTurnAnyRecordIntoInputTensorsOrADeadLetterReason(byte[] data) {
    InputSource source = FuzzFixtures.pick(SOURCES, data);
    FeatureRow row;
    try {
      row = SOURCES.toFeatures(source, FuzzFixtures.rest(data));
    } catch (RecordDecodingException | FeatureMappingException rejected) {
      FuzzFixtures.assertHasReason(rejected);
      return;
    }
    for (int i = 0; i < INPUTS.size(); i++) {
      try (Tensor tensor = TensorConversion.toTensor(INPUTS.get(i), i, List.of(row))) {
        assertEquals(TensorConversion.shapeFor(INPUTS.get(i), 1), tensor.shape());
      }
    }
  }
}
