package io.streamscore.model.internals;

import io.streamscore.model.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.TensorProto;

/** Splits a {@link TensorProto} into per-record values of a signature input's Java types. */
final class TensorProtos {
  private TensorProtos() {}

  /**
   * Most values one input of one warm-up request may hold: as many 4-byte values as fit in the
   * 64 MiB a record may have, so no real request is refused. A shape claiming more (say 2^30, with
   * one broadcast value) would make the reader allocate and box every element before any check,
   * until the heap ran out.
   */
  static final long MAX_VALUES = 1L << 24;

  static Object[] split(TensorProto tensor, TensorSpec spec) throws IOException {
    long total = 1;
    for (var dim : tensor.getTensorShape().getDimList()) {
      long size = dim.getSize();
      if (size < 0) {
        throw new IOException("input '" + spec.name() + "' has shape " + shapeOf(tensor) + ", with a dimension below 0;"
            + " a logged request's tensor has known dimensions");
      }
      if (size > 0 && total > MAX_VALUES / size) {
        throw new IOException("input '" + spec.name() + "' has shape " + shapeOf(tensor) + ", more than the " + MAX_VALUES
            + " values one warm-up request may hold");
      }
      total *= size;
    }
    int records = tensor.getTensorShape().getDimCount() == 0 ? 1 : (int) tensor.getTensorShape().getDim(0).getSize();
    int per = spec.valuesPerRecord();
    if ((long) records * per != total) {
      throw new IOException("input '" + spec.name() + "' has shape " + shapeOf(tensor) + ", which does not fit " + spec.shapeText());
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

  private static java.util.List<Long> shapeOf(TensorProto tensor) {
    return tensor.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList();
  }

  /** Bytes of one element in {@code tensor_content}; strings are never stored there. */
  private static int elementBytes(TensorSpec spec) {
    return switch (spec.type()) {
      case DT_FLOAT, DT_INT32 -> 4;
      case DT_DOUBLE, DT_INT64 -> 8;
      case DT_BOOL -> 1;
      case DT_STRING -> 0;
    };
  }

  /** All values, from the typed repeated field or the raw little-endian content; one value broadcasts. */
  private static Object[] values(TensorProto t, TensorSpec spec, int total) throws IOException {
    Object[] out = new Object[total];
    ByteBuffer content = t.getTensorContent().isEmpty() || spec.type() == io.streamscore.model.TensorType.DT_STRING ? null
        : t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (content != null && content.remaining() != (long) total * elementBytes(spec)) {
      throw new IOException("input '" + spec.name() + "' holds " + content.remaining() + " bytes of tensor_content for "
          + total + " " + spec.type() + " values of " + elementBytes(spec) + " byte(s)");
    }
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
