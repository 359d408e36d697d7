package io.streamscore.model;

import java.util.List;

/**
 * Scores feature rows with a model. The only way the rest of StreamScore reaches a model.
 *
 * <p>Thread-safety: implementations are shared by every stream thread of a JVM and must accept
 * concurrent {@link #score} calls. {@link #close()} may be called only after every {@code score}
 * call has returned.
 */
public interface Scorer extends AutoCloseable {

  /** The model being served; stable for the lifetime of the scorer. */
  ModelDescription model();

  /**
   * Scores the rows and returns one result per row, in the same order.
   *
   * @throws ScoringException if the model call failed; no partial result is returned
   */
  List<ScoredRow> score(List<FeatureRow> rows);

  @Override
  void close();
}
