package io.streamscore.bench;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.internals.SavedModelScorer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The "independent copy of the model in each thread" advice: {@code copies} SavedModels loaded
 * and warmed up before the stream threads start, each thread taking one on its first call and
 * keeping it. A thread beyond the pre-loaded copies (a replaced stream thread) loads its own.
 */
final class PerThreadCopiesScorer implements Scorer {
  private final ModelOptions options;
  private final ConcurrentLinkedQueue<SavedModelScorer> spare = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<SavedModelScorer> all = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<SavedModelScorer> own;
  private final ModelDescription description;

  PerThreadCopiesScorer(ModelOptions options, int copies) {
    this.options = options;
    for (int i = 0; i < copies; i++) {
      SavedModelScorer copy = SavedModelScorer.load(options);
      spare.add(copy);
      all.add(copy);
    }
    this.description = spare.peek().model();
    this.own = ThreadLocal.withInitial(this::take);
  }

  private SavedModelScorer take() {
    SavedModelScorer copy = spare.poll();
    if (copy == null) {
      copy = SavedModelScorer.load(options);
      all.add(copy);
    }
    return copy;
  }

  @Override
  public ModelDescription model() {
    return description;
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    return own.get().score(rows);
  }

  @Override
  public void close() {
    all.forEach(SavedModelScorer::close);
  }
}
