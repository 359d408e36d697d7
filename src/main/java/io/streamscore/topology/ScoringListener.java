package io.streamscore.topology;

import io.streamscore.model.ScoredRow;

/**
 * Told about every record the topology scored and every record it dead-lettered, for metrics.
 * Implementations are called on stream threads and must be fast, thread-safe and never throw.
 */
public interface ScoringListener {
  /** Listens to nothing. */
  ScoringListener NONE = new ScoringListener() {
    @Override
    public void scored(String source, ScoredRow row, int batchSize) {}

    @Override
    public void deadLettered(String topic, Exception reason) {}
  };

  /** Key under which Kafka Streams' configuration carries the listener to {@link DeadLetterHandler}. */
  String CONFIG_KEY = "streamscore.scoring.listener";

  /**
   * @param batchSize the number of records the model call that scored this one carried
   */
  void scored(String source, ScoredRow row, int batchSize);

  /** A record from {@code topic} went to the dead-letter topic because of {@code reason}. */
  void deadLettered(String topic, Exception reason);
}
