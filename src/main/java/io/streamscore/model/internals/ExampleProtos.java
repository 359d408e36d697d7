package io.streamscore.model.internals;

import com.google.protobuf.ByteString;
import io.streamscore.model.ExampleFeatures;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/** Serializes {@link ExampleFeatures} as a {@code tf.Example} protocol buffer. Stateless. */
final class ExampleProtos {
  private ExampleProtos() {}

  static byte[] serialize(ExampleFeatures features) {
    Features.Builder builder = Features.newBuilder();
    features.floats().forEach((name, values) -> {
      FloatList.Builder list = FloatList.newBuilder();
      for (float v : values) {
        list.addValue(v);
      }
      builder.putFeature(name, Feature.newBuilder().setFloatList(list).build());
    });
    features.int64s().forEach((name, values) -> {
      Int64List.Builder list = Int64List.newBuilder();
      for (long v : values) {
        list.addValue(v);
      }
      builder.putFeature(name, Feature.newBuilder().setInt64List(list).build());
    });
    features.bytes().forEach((name, values) -> {
      BytesList.Builder list = BytesList.newBuilder();
      values.forEach(v -> list.addValue(ByteString.copyFromUtf8(v)));
      builder.putFeature(name, Feature.newBuilder().setBytesList(list).build());
    });
    return Example.newBuilder().setFeatures(builder).build().toByteArray();
  }
}
