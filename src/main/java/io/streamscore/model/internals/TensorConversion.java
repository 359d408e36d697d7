package io.streamscore.model.internals;

import io.streamscore.model.ExampleFeatures;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.OutputValue;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Converts between feature rows and tensors, and between output tensors and per-record values.
 * Stateless; every tensor it returns is owned by the caller, who must close it.
 */
final class TensorConversion {
  private TensorConversion() {}

  static TensorType typeOf(DataType dataType) {
    return switch (dataType) {
      case DT_FLOAT -> TensorType.DT_FLOAT;
      case DT_DOUBLE -> TensorType.DT_DOUBLE;
      case DT_INT32 -> TensorType.DT_INT32;
      case DT_INT64 -> TensorType.DT_INT64;
      case DT_BOOL -> TensorType.DT_BOOL;
      case DT_STRING -> TensorType.DT_STRING;
      default -> null;
    };
  }

  /** The tensor shape for {@code records} records of this input. */
  static Shape shapeFor(TensorSpec spec, int records) {
    if (spec.rank() == 0) {
      return Shape.scalar();
    }
    long[] dims = new long[spec.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = spec.shape().get(i);
    }
    if (dims[0] < 0) {
      dims[0] = records;
    }
    return Shape.of(dims);
  }

  /** Builds the tensor that feeds input {@code inputIndex} for all rows, stacked on the batch dimension. */
  static Tensor toTensor(TensorSpec spec, int inputIndex, List<FeatureRow> rows) {
    Shape shape = shapeFor(spec, rows.size());
    int per = spec.valuesPerRecord();
    int n = rows.size() * per;
    switch (spec.type()) {
      case DT_FLOAT -> {
        float[] flat = new float[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof float[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (Float) v;
          }
        }
        return TFloat32.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      case DT_DOUBLE -> {
        double[] flat = new double[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof double[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (Double) v;
          }
        }
        return TFloat64.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      case DT_INT32 -> {
        int[] flat = new int[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof int[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (Integer) v;
          }
        }
        return TInt32.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      case DT_INT64 -> {
        long[] flat = new long[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof long[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (Long) v;
          }
        }
        return TInt64.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      case DT_BOOL -> {
        boolean[] flat = new boolean[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof boolean[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (Boolean) v;
          }
        }
        return TBool.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      case DT_STRING -> {
        Object first = rows.isEmpty() ? null : rows.get(0).value(inputIndex);
        if (first instanceof ExampleFeatures || first instanceof byte[]) {
          // Serialized tf.Examples: built from mapped features, or replayed from a warm-up file.
          byte[][] serialized = new byte[n][];
          for (int r = 0; r < rows.size(); r++) {
            Object value = rows.get(r).value(inputIndex);
            serialized[r] = value instanceof byte[] bytes ? bytes : ExampleProtos.serialize((ExampleFeatures) value);
          }
          return TString.tensorOfBytes(shape, DataBuffers.ofObjects(serialized));
        }
        String[] flat = new String[n];
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).value(inputIndex);
          if (v instanceof String[] a) {
            System.arraycopy(a, 0, flat, r * per, per);
          } else {
            flat[r] = (String) v;
          }
        }
        return TString.tensorOf(shape, DataBuffers.of(flat, true, false));
      }
      default -> throw new IllegalStateException("unsupported input type " + spec.type());
    }
  }

  /**
   * Splits an output tensor into one value per record. A tensor whose first dimension equals the
   * number of records is split along it; any other tensor (a scalar, or a model that reduces over
   * the batch) is given whole to every record.
   */
  static List<OutputValue> split(String name, TensorType type, Tensor tensor, int records) {
    Shape shape = tensor.shape();
    long size = shape.size();
    boolean batched = shape.numDimensions() >= 1 && shape.size(0) == records;
    int per = (int) (batched ? size / Math.max(records, 1) : size);
    List<Long> sliceShape = new ArrayList<>();
    for (int i = batched ? 1 : 0; i < shape.numDimensions(); i++) {
      sliceShape.add(shape.size(i));
    }
    List<OutputValue> values = new ArrayList<>(records);
    switch (type) {
      case DT_FLOAT, DT_DOUBLE -> {
        double[] all = new double[(int) size];
        if (type == TensorType.DT_FLOAT) {
          float[] f = new float[(int) size];
          ((TFloat32) tensor).copyTo(DataBuffers.of(f, false, false));
          for (int i = 0; i < f.length; i++) {
            all[i] = f[i];
          }
        } else {
          ((TFloat64) tensor).copyTo(DataBuffers.of(all, false, false));
        }
        for (int r = 0; r < records; r++) {
          double[] slice = new double[per];
          System.arraycopy(all, batched ? r * per : 0, slice, 0, per);
          values.add(OutputValue.ofFloats(name, type, sliceShape, slice));
        }
      }
      case DT_INT32, DT_INT64, DT_BOOL -> {
        long[] all = new long[(int) size];
        if (type == TensorType.DT_INT32) {
          int[] a = new int[(int) size];
          ((TInt32) tensor).copyTo(DataBuffers.of(a, false, false));
          for (int i = 0; i < a.length; i++) {
            all[i] = a[i];
          }
        } else if (type == TensorType.DT_INT64) {
          ((TInt64) tensor).copyTo(DataBuffers.of(all, false, false));
        } else {
          boolean[] b = new boolean[(int) size];
          ((TBool) tensor).copyTo(DataBuffers.of(b, false, false));
          for (int i = 0; i < b.length; i++) {
            all[i] = b[i] ? 1 : 0;
          }
        }
        for (int r = 0; r < records; r++) {
          long[] slice = new long[per];
          System.arraycopy(all, batched ? r * per : 0, slice, 0, per);
          values.add(OutputValue.ofIntegers(name, type, sliceShape, slice));
        }
      }
      case DT_STRING -> {
        String[] all = new String[(int) size];
        ((TString) tensor).copyTo(DataBuffers.of(all, false, false));
        for (int r = 0; r < records; r++) {
          String[] slice = new String[per];
          System.arraycopy(all, batched ? r * per : 0, slice, 0, per);
          values.add(OutputValue.ofStrings(name, type, sliceShape, slice));
        }
      }
      default -> throw new IllegalStateException("unsupported output type " + type);
    }
    return values;
  }
}
