package io.streamscore.topology;

import io.streamscore.model.FeatureRow;

/**
 * Where the topology hands each scored record's features for shadow scoring by a candidate model.
 * Implementations must return at once and never throw: the primary prediction, its latency and its
 * guarantees must not depend on the candidate.
 */
public interface ShadowSink {
  /** A sink that drops everything: shadow scoring off. */
  ShadowSink NONE = (key, row, lineage) -> {};

  /**
   * Offers one record for shadow scoring; may drop it (when the sink is full or closing).
   *
   * @param key the input record's key, used as the shadow prediction's key
   */
  void offer(byte[] key, FeatureRow row, Lineage lineage);

  /** Where the record came from, copied into the shadow prediction. Immutable. */
  record Lineage(String source, String topic, int partition, long offset, long eventTimestamp) {}
}
