package io.streamscore.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.TensorProto;

/**
 * Writes TensorFlow Serving warm-up files ({@code assets.extra/tf_serving_warmup_requests}): TFRecord
 * files of PredictionLog protos, encoded by field number as TensorFlow Serving's protos define them.
 */
public final class WarmupFiles {
  private WarmupFiles() {}

  /** A PredictionLog holding a predict log whose request has these inputs. */
  public static byte[] predictLog(Map<String, TensorProto> inputs) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(request);
    for (Map.Entry<String, TensorProto> input : inputs.entrySet()) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      CodedOutputStream e = CodedOutputStream.newInstance(entry);
      e.writeString(1, input.getKey());
      e.writeBytes(2, input.getValue().toByteString());
      e.flush();
      out.writeBytes(2, ByteString.copyFrom(entry.toByteArray()));
    }
    out.flush();
    return wrap(6, wrap(1, request.toByteArray()));
  }

  /** A PredictionLog holding a regress log whose request carries these serialized tf.Examples. */
  public static byte[] regressLog(List<byte[]> examples) throws IOException {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(list);
    for (byte[] example : examples) {
      out.writeBytes(1, ByteString.copyFrom(example));
    }
    out.flush();
    byte[] input = wrap(1, list.toByteArray());
    byte[] request = wrap(2, input);
    return wrap(3, wrap(1, request));
  }

  private static byte[] wrap(int field, byte[] message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeBytes(field, ByteString.copyFrom(message));
    out.flush();
    return bytes.toByteArray();
  }

  /** Writes the records as {@code versionDirectory/assets.extra/tf_serving_warmup_requests}. */
  public static Path write(Path versionDirectory, List<byte[]> records) throws IOException {
    Path file = versionDirectory.resolve("assets.extra").resolve("tf_serving_warmup_requests");
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      for (byte[] record : records) {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(record.length).array();
        out.write(length);
        out.write(intLe(maskedCrc(length)));
        out.write(record);
        out.write(intLe(maskedCrc(record)));
      }
    }
    return file;
  }

  private static byte[] intLe(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }

  private static int maskedCrc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }
}
