package io.streamscore.source;

import io.streamscore.model.TensorType;
import java.util.List;

/** Packs converted values into the primitive array type a rank-2 input of a dtype takes. */
final class TypedArrays {
  private TypedArrays() {}

  static Object of(TensorType type, List<Object> values) {
    int n = values.size();
    switch (type) {
      case DT_FLOAT -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (Float) values.get(i);
        return a;
      }
      case DT_DOUBLE -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (Double) values.get(i);
        return a;
      }
      case DT_INT32 -> {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = (Integer) values.get(i);
        return a;
      }
      case DT_INT64 -> {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = (Long) values.get(i);
        return a;
      }
      case DT_BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = (Boolean) values.get(i);
        return a;
      }
      case DT_STRING -> {
        return values.stream().map(String.class::cast).toArray(String[]::new);
      }
      default -> throw new IllegalArgumentException("unsupported type " + type);
    }
  }
}
