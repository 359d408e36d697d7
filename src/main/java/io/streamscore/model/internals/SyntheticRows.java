package io.streamscore.model.internals;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feature rows made from a signature alone, for warm-up: every input gets a value of its dtype and
 * shape, so every feed path and every kernel of the graph runs once before real traffic.
 */
public final class SyntheticRows {
  private SyntheticRows() {}

  public static List<FeatureRow> of(ModelSignature signature, int count) {
    List<FeatureRow> rows = new ArrayList<>(count);
    if (signature.takesExamples()) {
      // Which features the graph parses is not in the signature: an empty Example is all that can be
      // made here. Models that require features need the sources' rows or a warm-up file.
      for (int r = 0; r < count; r++) {
        rows.add(new FeatureRow(io.streamscore.model.ExampleFeatures.builder().build()));
      }
      return rows;
    }
    for (int r = 0; r < count; r++) {
      Object[] values = new Object[signature.inputs().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = valueFor(signature.inputs().get(i), r);
      }
      rows.add(new FeatureRow(values));
    }
    return rows;
  }

  private static Object valueFor(TensorSpec spec, int r) {
    int per = spec.valuesPerRecord();
    boolean array = spec.rank() >= 2;
    return switch (spec.type()) {
      case DT_FLOAT -> {
        if (!array) yield (float) r;
        float[] a = new float[per];
        Arrays.fill(a, r);
        yield a;
      }
      case DT_DOUBLE -> {
        if (!array) yield (double) r;
        double[] a = new double[per];
        Arrays.fill(a, r);
        yield a;
      }
      case DT_INT32 -> array ? new int[per] : (Integer) r;
      case DT_INT64 -> array ? new long[per] : (Long) (long) r;
      case DT_BOOL -> array ? new boolean[per] : (Boolean) (r % 2 == 0);
      case DT_STRING -> {
        if (!array) yield "warmup";
        String[] a = new String[per];
        Arrays.fill(a, "warmup");
        yield a;
      }
    };
  }
}
