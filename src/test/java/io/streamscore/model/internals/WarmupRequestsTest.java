package io.streamscore.model.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelLoadException;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import io.streamscore.support.WarmupFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The warm-up file reader on its own, without TensorFlow: what a file's tensors may claim. A shape
 * of 2^30 with one broadcast value ran the JVM out of heap while a version loaded, instead of
 * refusing the version (seen while writing {@link WarmupFileFuzzTest}).
 */
class WarmupRequestsTest {
  private static final Path FILE = Path.of("models/m/1").resolve(WarmupRequests.FILE);
  private static final ModelSignature SIGNATURE = new ModelSignature("serving_default", "tensorflow/serving/predict",
      List.of(new TensorSpec("x", TensorType.DT_FLOAT, List.of(-1L))), List.of());

  private static TensorProto.Builder floats(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape);
  }

  private static List<List<FeatureRow>> read(TensorProto x) throws IOException {
    byte[] file = WarmupFileFuzzTest.tfRecord(WarmupFiles.predictLog(Map.of("x", x)));
    return WarmupRequests.read(new ByteArrayInputStream(file), FILE, SIGNATURE);
  }

  @Test
  void shouldReadOneBroadcastValueForEveryRecordOfAnOrdinaryShape() throws IOException {
    List<List<FeatureRow>> batches = read(floats(3).addFloatVal(2.5f).build());

    assertEquals(1, batches.size());
    assertEquals(3, batches.get(0).size());
    assertEquals(2.5f, batches.get(0).get(2).value(0));
  }

  @Test
  void shouldRefuseTheVersionWhenATensorClaimsMoreValuesThanAWarmupRequestMayHold() {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> read(floats(1L << 30).addFloatVal(1f).build()));

    assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("[1073741824], more than the 16777216 values one warm-up request may hold"), e.getMessage());
  }

  @Test
  void shouldRefuseTheVersionWhenATensorClaimsADimensionBelowZero() {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> read(floats(-1).addFloatVal(1f).build()));

    assertTrue(e.getMessage().contains("with a dimension below 0"), e.getMessage());
  }

  @Test
  void shouldRefuseTheVersionWhenTensorContentIsShorterThanItsShape() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> read(floats(4).setTensorContent(ByteString.copyFrom(new byte[6])).build()));

    assertTrue(e.getMessage().contains("holds 6 bytes of tensor_content for 4 DT_FLOAT values"), e.getMessage());
  }
}
