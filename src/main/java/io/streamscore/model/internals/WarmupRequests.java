package io.streamscore.model.internals;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelLoadException;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.TensorProto;

/**
 * Reads a version's TensorFlow Serving warm-up file, {@code assets.extra/tf_serving_warmup_requests}:
 * a TFRecord file of {@code tensorflow.serving.PredictionLog} protos. Predict logs become batches of
 * feature rows for the signature's inputs; regress and classify logs become batches of serialized
 * {@code tf.Example}s. TensorFlow Serving's request protos are not on Maven Central, so the few
 * fields needed are read by field number with protobuf's wire-format reader.
 */
final class WarmupRequests {
  static final String FILE = "assets.extra/tf_serving_warmup_requests";

  // Field numbers in tensorflow_serving/apis/prediction_log.proto and the requests it holds.
  private static final int PREDICTION_LOG_CLASSIFY = 2;
  private static final int PREDICTION_LOG_REGRESS = 3;
  private static final int PREDICTION_LOG_PREDICT = 6;
  private static final int LOG_REQUEST = 1;
  private static final int PREDICT_REQUEST_INPUTS = 2;
  private static final int EXAMPLE_REQUEST_INPUT = 2;
  private static final int INPUT_EXAMPLE_LIST = 1;
  private static final int EXAMPLE_LIST_EXAMPLES = 1;

  private WarmupRequests() {}

  /**
   * The warm-up requests of {@code versionDirectory} as batches of rows, or an empty list when it
   * has no warm-up file.
   *
   * @throws ModelLoadException naming the file and the record when the file is corrupt or does not
   *     fit the signature; a version with a bad warm-up file is not served
   */
  static List<List<FeatureRow>> read(Path versionDirectory, ModelSignature signature) {
    Path file = versionDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file, signature);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read warm-up file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #read(Path, ModelSignature)}, from the bytes of {@code file} in {@code in}: the
   * parser alone, which the fuzz test feeds without touching the disk.
   */
  static List<List<FeatureRow>> read(InputStream in, Path file, ModelSignature signature) {
    List<List<FeatureRow>> batches = new ArrayList<>();
    try {
      List<byte[]> records = tfRecords(in, file);
      for (int i = 0; i < records.size(); i++) {
        try {
          batches.add(rows(records.get(i), signature));
        } catch (IOException | RuntimeException e) {
          throw new ModelLoadException("warm-up file " + file + ", record " + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read warm-up file " + file + ": " + e.getMessage(), e);
    }
    return batches;
  }

  /** TFRecord framing: length (uint64 LE), masked CRC-32C of the length, data, masked CRC-32C of the data. */
  private static List<byte[]> tfRecords(InputStream raw, Path file) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    List<byte[]> records = new ArrayList<>();
    while (true) {
      byte[] length = in.readNBytes(8);
      if (length.length == 0) {
        return records;
      }
      if (length.length < 8) {
        throw new ModelLoadException("warm-up file " + file + " is truncated after " + records.size() + " record(s)");
      }
      int lengthCrc = Integer.reverseBytes(in.readInt());
      if (lengthCrc != maskedCrc(length)) {
        throw new ModelLoadException("warm-up file " + file + ": record " + (records.size() + 1) + " has a bad length checksum; not a TFRecord file");
      }
      long size = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (size < 0 || size > 64L * 1024 * 1024) {
        throw new ModelLoadException("warm-up file " + file + ": record " + (records.size() + 1) + " claims " + size + " bytes");
      }
      byte[] data = in.readNBytes((int) size);
      if (data.length < size) {
        throw new ModelLoadException("warm-up file " + file + " is truncated in record " + (records.size() + 1));
      }
      if (Integer.reverseBytes(in.readInt()) != maskedCrc(data)) {
        throw new ModelLoadException("warm-up file " + file + ": record " + (records.size() + 1) + " has a bad data checksum");
      }
      records.add(data);
    }
  }

  static int maskedCrc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }

  private static List<FeatureRow> rows(byte[] predictionLog, ModelSignature signature) throws IOException {
    CodedInputStream log = CodedInputStream.newInstance(predictionLog);
    int tag;
    while ((tag = log.readTag()) != 0) {
      int field = tag >>> 3;
      if (field == PREDICTION_LOG_PREDICT) {
        return predictRows(field(log.readBytes(), LOG_REQUEST), signature);
      }
      if (field == PREDICTION_LOG_REGRESS || field == PREDICTION_LOG_CLASSIFY) {
        return exampleRows(field(log.readBytes(), LOG_REQUEST), signature);
      }
      log.skipField(tag);
    }
    throw new IOException("a PredictionLog without a predict, regress or classify log; StreamScore replays those three");
  }

  private static List<FeatureRow> predictRows(ByteString request, ModelSignature signature) throws IOException {
    if (signature.takesExamples()) {
      throw new IOException("a predict request, but signature '" + signature.key() + "' takes tf.Examples (a regress or classify log)");
    }
    Map<String, TensorProto> inputs = new LinkedHashMap<>();
    CodedInputStream in = request.newCodedInput();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == PREDICT_REQUEST_INPUTS) {
        CodedInputStream entry = in.readBytes().newCodedInput();
        String key = null;
        TensorProto value = null;
        int entryTag;
        while ((entryTag = entry.readTag()) != 0) {
          if (entryTag >>> 3 == 1) {
            key = entry.readString();
          } else if (entryTag >>> 3 == 2) {
            value = TensorProto.parseFrom(entry.readBytes());
          } else {
            entry.skipField(entryTag);
          }
        }
        inputs.put(key, value);
      } else {
        in.skipField(tag);
      }
    }
    int batch = -1;
    List<Object[]> columns = new ArrayList<>();
    for (TensorSpec spec : signature.inputs()) {
      TensorProto tensor = inputs.get(spec.name());
      if (tensor == null) {
        throw new IOException("the request has no input '" + spec.name() + "'; it has " + inputs.keySet());
      }
      Object[] perRecord = TensorProtos.split(tensor, spec);
      if (batch >= 0 && perRecord.length != batch) {
        throw new IOException("input '" + spec.name() + "' has " + perRecord.length + " records, others " + batch);
      }
      batch = perRecord.length;
      columns.add(perRecord);
    }
    List<FeatureRow> rows = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      Object[] values = new Object[columns.size()];
      for (int c = 0; c < values.length; c++) {
        values[c] = columns.get(c)[r];
      }
      rows.add(new FeatureRow(values));
    }
    return rows;
  }

  private static List<FeatureRow> exampleRows(ByteString request, ModelSignature signature) throws IOException {
    if (!signature.takesExamples()) {
      throw new IOException("a regress or classify request, but signature '" + signature.key() + "' takes tensors (a predict log)");
    }
    ByteString exampleList = field(field(request, EXAMPLE_REQUEST_INPUT), INPUT_EXAMPLE_LIST);
    List<FeatureRow> rows = new ArrayList<>();
    CodedInputStream in = exampleList.newCodedInput();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == EXAMPLE_LIST_EXAMPLES) {
        rows.add(new FeatureRow((Object) in.readBytes().toByteArray()));
      } else {
        in.skipField(tag);
      }
    }
    return rows;
  }

  /** The first length-delimited field {@code number} of a message. */
  private static ByteString field(ByteString message, int number) throws IOException {
    CodedInputStream in = message.newCodedInput();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == number) {
        return in.readBytes();
      }
      in.skipField(tag);
    }
    throw new IOException("field " + number + " is missing");
  }
}
