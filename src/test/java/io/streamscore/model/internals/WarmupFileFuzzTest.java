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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * Any TensorFlow Serving warm-up file ({@code assets.extra/tf_serving_warmup_requests}) shipped
 * with a model version. The first byte picks the signature it is read for (bit 0: the demo model's
 * predict signature, tensors, or a regress signature, serialized tf.Examples) and what the rest is
 * (bit 1): the whole file, or one PredictionLog that the test frames as a TFRecord with the right
 * checksums. Without the second kind the fuzzer stops at the CRC-32C checks and never reaches the
 * protos behind them.
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
    int selector = data.length == 0 ? 0 : Byte.toUnsignedInt(data[0]);
    ModelSignature signature = SIGNATURES.get(selector & 1);
    byte[] rest = FuzzFixtures.rest(data);
    byte[] file = (selector & 2) == 0 ? rest : tfRecord(rest);
    try {
      List<List<FeatureRow>> batches = WarmupRequests.read(new ByteArrayInputStream(file), FILE, signature);
      for (List<FeatureRow> batch : batches) {
        for (FeatureRow row : batch) {
          assertEquals(signature.inputs().size(), row.size());
        }
      }
    } catch (ModelLoadException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }

  /** One TFRecord: length (uint64 LE), masked CRC-32C of the length, the data, masked CRC-32C of the data. */
  static byte[] tfRecord(byte[] data) {
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    return ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN).put(length).putInt(WarmupRequests.maskedCrc(length))
        .put(data).putInt(WarmupRequests.maskedCrc(data)).array();
  }
}
