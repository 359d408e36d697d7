package io.streamscore.bench;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.internals.SavedModelScorer;
import java.util.List;

/**
 * The pattern of the widely copied Kafka Streams and TensorFlow example: load the SavedModel, open
 * a session, score, close it, for every call. No warm-up: the example has none.
 */
final class SessionPerRecordScorer implements Scorer {
  private final ModelOptions options;
  private final ModelDescription description;

  SessionPerRecordScorer(ModelOptions options) {
    this.options = options.withWarmup(false);
    try (SavedModelScorer probe = SavedModelScorer.load(options)) {
      this.description = probe.model();
    }
  }

  @Override
  public ModelDescription model() {
    return description;
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    try (SavedModelScorer fresh = SavedModelScorer.load(options)) {
      return fresh.score(rows);
    }
  }

  @Override
  public void close() {}
}
