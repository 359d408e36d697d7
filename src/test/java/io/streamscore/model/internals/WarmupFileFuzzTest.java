package io.streamscore.model.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelLoadException;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.FuzzFixtures;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Any TensorFlow Serving warm-up file ({@code assets.extra/tf_serving_warmup_requests}) shipped
 * with a model version. The first byte picks the signature it is read for: the demo model's
 * predict signature (tensors) or a regress signature (serialized tf.Examples); the rest is the file.
 *
 * <p>Contract: {@link WarmupRequests#read} returns batches of rows with one value per input, or
 * throws {@link ModelLoadException} naming the file: that version is not served. Never another
 * exception, an error (a claimed size of gigabytes) or a hang.
 */
class WarmupFileFuzzTest {
  private static final Path FILE = Path.of("models/fuzz/1").resolve(WarmupRequests.FILE);
  private static final List<ModelSignature> SIGNATURES = List.of(DemoSignatures.fraudModel(),
      new ModelSignature("regress_x_to_y", "tensorflow/serving/regress",
          List.of(new TensorSpec("inputs", TensorType.DT_STRING, List.of(-1L))),
          List.of(new TensorSpec("outputs", TensorType.DT_FLOAT, List.of(-1L)))));

  @FuzzTest(maxDuration = "10m")
  void shouldReadAnyWarmupFileAsBatchesOrRefuseTheVersionWithAModelLoadException(byte[] data) {
    ModelSignature signature = SIGNATURES.get(data.length == 0 ? 0 : Byte.toUnsignedInt(data[0]) % SIGNATURES.size());
    try {
      List<List<FeatureRow>> batches = WarmupRequests.read(new ByteArrayInputStream(FuzzFixtures.rest(data)), FILE, signature);
      for (List<FeatureRow> batch : batches) {
        for (FeatureRow row : batch) {
          assertEquals(signature.inputs().size(), row.size());
        }
      }
    } catch (ModelLoadException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
