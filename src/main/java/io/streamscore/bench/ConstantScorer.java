package io.streamscore.bench;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers every row with one prediction computed once by the real model: the passthrough mode's
 * stand-in for a model call. The real model stays loaded (and is closed with this scorer), so the
 * process carries the same TensorFlow runtime as the other modes and only the calls are missing.
 */
final class ConstantScorer implements Scorer {
  private final Scorer model;
  private final ScoredRow constant;

  ConstantScorer(Scorer model, FeatureRow sample) {
    this.model = model;
    ScoredRow scored = model.score(List.of(sample)).get(0);
    this.constant = new ScoredRow(scored.modelVersion(), scored.outputs(), 0, 1);
  }

  /** The real model, loaded and never called by the topology. */
  Scorer realModel() {
    return model;
  }

  @Override
  public ModelDescription model() {
    return model.model();
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    List<ScoredRow> scored = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      scored.add(constant);
    }
    return scored;
  }

  @Override
  public void close() {
    model.close();
  }
}
