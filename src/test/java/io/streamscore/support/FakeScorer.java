package io.streamscore.support;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.OutputValue;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TensorFlow-free {@link Scorer} over the demo signature, for topology tests: its one output,
 * {@code amount_echo}, returns the {@code amount} input, so a test can tell which record a
 * prediction belongs to. Counts calls; can be told to fail for a given amount.
 */
public final class FakeScorer implements Scorer {
  public static final float FAILING_AMOUNT = -13f;

  private final ModelDescription model;
  private final int amountIndex;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());

  public FakeScorer() {
    ModelSignature demo = DemoSignature.inputsOnly();
    ModelSignature signature = new ModelSignature(demo.key(), demo.methodName(), demo.inputs(),
        List.of(new TensorSpec("amount_echo", TensorType.DT_DOUBLE, List.of(-1L))));
    this.model = new ModelDescription("fake", 42, Path.of("fake"), signature);
    this.amountIndex = signature.inputIndex("amount");
  }

  @Override
  public ModelDescription model() {
    return model;
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    calls.incrementAndGet();
    batchSizes.add(rows.size());
    List<ScoredRow> scored = new ArrayList<>();
    for (FeatureRow row : rows) {
      float amount = (Float) row.value(amountIndex);
      if (amount == FAILING_AMOUNT) {
        throw new io.streamscore.model.ScoringException("fake model refuses amount " + amount);
      }
      scored.add(new ScoredRow(model.version(), List.of(
          OutputValue.ofFloats("amount_echo", TensorType.DT_DOUBLE, List.of(), new double[] {amount})), 1));
    }
    return scored;
  }

  /** A row whose {@code amount} input is {@code amount} (the other inputs are null: this scorer reads only that one). */
  public FeatureRow row(float amount) {
    Object[] values = new Object[model.signature().inputs().size()];
    values[amountIndex] = amount;
    return new FeatureRow(values);
  }

  /** The number of rows of each call so far, in call order. */
  public List<Integer> batchSizes() {
    synchronized (batchSizes) {
      return List.copyOf(batchSizes);
    }
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public void close() {}
}
