package io.streamscore.model.internals;

import io.streamscore.model.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.TensorProto;

/** Splits a {@link TensorProto} into per-record values of a signature input's Java types. */
final class TensorProtos {
  private TensorProtos() {}

  static Object[] split(TensorProto tensor, TensorSpec spec) throws IOException {
    long total = 1;
    for (var dim : tensor.getTensorShape().getDimList()) {
      total *= dim.getSize();
    }
    int records = tensor.getTensorShape().getDimCount() == 0 ? 1 : (int) tensor.getTensorShape().getDim(0).getSize();
    int per = spec.valuesPerRecord();
    if ((long) records * per != total) {
      throw new IOException("input '" + spec.name() + "' has shape " + tensor.getTensorShape().getDimList().stream()
          .map(d -> Long.toString(d.getSize())).toList() + ", which does not fit " + spec.shapeText());
    }
    Object[] flat = values(tensor, spec, (int) total);
    Object[] perRecord = new Object[records];
    boolean array = spec.rank() >= 2;
    for (int r = 0; r < records; r++) {
      if (!array) {
        perRecord[r] = flat[r];
        continue;
      }
      perRecord[r] = switch (spec.type()) {
        case DT_FLOAT -> { float[] a = new float[per]; for (int i = 0; i < per; i++) a[i] = (Float) flat[r * per + i]; yield a; }
        case DT_DOUBLE -> { double[] a = new double[per]; for (int i = 0; i < per; i++) a[i] = (Double) flat[r * per + i]; yield a; }
        case DT_INT32 -> { int[] a = new int[per]; for (int i = 0; i < per; i++) a[i] = (Integer) flat[r * per + i]; yield a; }
        case DT_INT64 -> { long[] a = new long[per]; for (int i = 0; i < per; i++) a[i] = (Long) flat[r * per + i]; yield a; }
        case DT_BOOL -> { boolean[] a = new boolean[per]; for (int i = 0; i < per; i++) a[i] = (Boolean) flat[r * per + i]; yield a; }
        case DT_STRING -> { String[] a = new String[per]; for (int i = 0; i < per; i++) a[i] = (String) flat[r * per + i]; yield a; }
      };
    }
    return perRecord;
  }

  /** All values, from the typed repeated field or the raw little-endian content; one value broadcasts. */
  private static Object[] values(TensorProto t, TensorSpec spec, int total) throws IOException {
    Object[] out = new Object[total];
    ByteBuffer content = t.getTensorContent().isEmpty() ? null : t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int typed = switch (spec.type()) {
      case DT_FLOAT -> t.getFloatValCount();
      case DT_DOUBLE -> t.getDoubleValCount();
      case DT_INT32 -> t.getIntValCount();
      case DT_INT64 -> t.getInt64ValCount();
      case DT_BOOL -> t.getBoolValCount();
      case DT_STRING -> t.getStringValCount();
    };
    if (content == null && typed != total && typed != 1) {
      throw new IOException("input '" + spec.name() + "' holds " + typed + " " + spec.type() + " values for " + total + " elements");
    }
    for (int i = 0; i < total; i++) {
      int j = typed == 1 ? 0 : i;
      out[i] = switch (spec.type()) {
        case DT_FLOAT -> content != null ? content.getFloat(i * 4) : t.getFloatVal(j);
        case DT_DOUBLE -> content != null ? content.getDouble(i * 8) : t.getDoubleVal(j);
        case DT_INT32 -> content != null ? content.getInt(i * 4) : t.getIntVal(j);
        case DT_INT64 -> content != null ? content.getLong(i * 8) : t.getInt64Val(j);
        case DT_BOOL -> content != null ? content.get(i) != 0 : t.getBoolVal(j);
        case DT_STRING -> t.getStringVal(j).toStringUtf8();
      };
    }
    return out;
  }
}
