package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.ModelDirectories;
import io.streamscore.support.TestModels;
import io.streamscore.support.WarmupFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** TensorFlow Serving's warm-up file: replayed when present, and a bad one keeps the version from serving. */
class WarmupFileTest {

  @TempDir
  Path temp;

  private static TensorProto floats(float... values) {
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length)))
        .addAllFloatVal(java.util.stream.IntStream.range(0, values.length).mapToObj(i -> values[i]).toList()).build();
  }

  private static TensorProto floatsAsContent(float... values) {
    ByteBuffer content = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      content.putFloat(v);
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length)))
        .setTensorContent(ByteString.copyFrom(content.array())).build();
  }

  @Test
  void shouldReplayTheRequestsOfTheWarmupFileBeforeServing() throws Exception {
    Path version = TestModels.heavy(temp, 10);
    WarmupFiles.write(version, List.of(
        WarmupFiles.predictLog(Map.of("x", floats(1f, 2f, 3f))),
        WarmupFiles.predictLog(Map.of("x", floatsAsContent(4f)))));
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(temp))) {
      assertEquals(2, scorer.warmupReport().fileRequests());
      assertEquals(2 + 20, scorer.warmupReport().calls(), "the file's requests, then the synthetic warm-up");
    }
  }

  @Test
  void shouldRefuseAVersionWhoseWarmupFileIsCorrupt() throws Exception {
    Path version = TestModels.heavy(temp, 10);
    Path file = WarmupFiles.write(version, List.of(WarmupFiles.predictLog(Map.of("x", floats(1f)))));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x5A; // inside the record's data: its checksum no longer matches
    Files.write(file, bytes);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SavedModelScorer.load(ModelOptions.defaults(temp)));
    assertTrue(e.getMessage().contains("tf_serving_warmup_requests") && e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void shouldRefuseAWarmupRequestThatLacksAnInput() throws Exception {
    Path version = TestModels.heavy(temp, 10);
    WarmupFiles.write(version, List.of(WarmupFiles.predictLog(Map.of("not_x", floats(1f)))));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SavedModelScorer.load(ModelOptions.defaults(temp)));
    assertTrue(e.getMessage().contains("has no input 'x'"), e.getMessage());
  }

  @Test
  void shouldReplayRegressRequestsOfSerializedExamplesForAnExampleSignature() throws Exception {
    Path fixture = Path.of("..", "shared", "fixtures", "saved-models", "half_plus_two", "00000123");
    assumeTrue(Files.isDirectory(fixture), "../shared is absent");
    Path version = temp.resolve("123");
    ModelDirectories.copyTree(fixture, version);
    byte[] example = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(1f)).build())).build().toByteArray();
    WarmupFiles.write(version, List.of(WarmupFiles.regressLog(List.of(example, example))));
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(temp).withSignature("regress_x_to_y"))) {
      assertEquals(1, scorer.warmupReport().fileRequests());
      // The replayed Example is a real request: scoring it gives half_plus_two's answer.
      double y = scorer.score(List.of(new FeatureRow((Object) example))).get(0).outputs().get(0).firstAsDouble();
      assertEquals(2.5, y, 1e-6);
    }
  }
}
