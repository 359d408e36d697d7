package io.streamscore.topology;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The records one stream thread has decoded and mapped but not yet scored, from all of its tasks,
 * in processing order (so in each partition's offset order). Scored in model calls of up to {@code
 * maxRows}: as soon as that many are pending, when the oldest has waited {@code flushIntervalNanos},
 * and all of them whenever Kafka Streams is about to commit any task's offsets ({@link #drain()}
 * from the pre-commit hook), so that no offset is committed for a record that was not scored and
 * forwarded.
 *
 * <p>A batch whose model call fails is scored again one record at a time, so only the record the
 * model rejects is dead-lettered.
 *
 * <p>Owned by one stream thread; not thread-safe, and need not be.
 */
final class StreamThreadBatch {
  /** What forwards a scored record, or dead-letters a rejected one: the processor of the record's task. */
  interface Owner {
    void forward(PendingRecord record, FeatureRow row, ScoredRow scored);

    void deadLetter(PendingRecord record, RuntimeException reason);
  }

  /** A record waiting for its model call, and the task's processor that forwards its result. */
  record Pending(Owner owner, PendingRecord record, FeatureRow row) {}

  private final Scorer scorer;
  private final int maxRows;
  private final long flushIntervalNanos;
  private final LongSupplier nanoTime;
  private final ArrayList<Pending> pending;
  private long oldestNanos;

  StreamThreadBatch(Scorer scorer, int maxRows, long flushIntervalNanos, LongSupplier nanoTime) {
    this.scorer = scorer;
    this.maxRows = maxRows;
    this.flushIntervalNanos = flushIntervalNanos;
    this.nanoTime = nanoTime;
    this.pending = new ArrayList<>(maxRows);
  }

  /** Adds a record; scores a full batch at once. */
  void add(Pending record) {
    if (pending.isEmpty()) {
      oldestNanos = nanoTime.getAsLong();
    }
    pending.add(record);
    if (pending.size() >= maxRows) {
      drain();
    }
  }

  /** Scores what is pending if the oldest record has waited the flush interval. */
  void drainIfDue() {
    if (!pending.isEmpty() && nanoTime.getAsLong() - oldestNanos >= flushIntervalNanos) {
      drain();
    }
  }

  /** Scores and forwards everything pending, oldest first, in calls of up to {@code maxRows}. */
  void drain() {
    while (!pending.isEmpty()) {
      int size = Math.min(maxRows, pending.size());
      List<Pending> batch = new ArrayList<>(pending.subList(0, size));
      pending.subList(0, size).clear();
      if (!pending.isEmpty()) {
        oldestNanos = nanoTime.getAsLong();
      }
      score(batch);
    }
  }

  /** Drops the records of a task that is closing: a clean close drained them first; a dirty one commits nothing. */
  int discard(Owner owner) {
    int before = pending.size();
    pending.removeIf(p -> p.owner() == owner);
    return before - pending.size();
  }

  int size() {
    return pending.size();
  }

  private void score(List<Pending> batch) {
    List<FeatureRow> rows = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      rows.add(p.row());
    }
    List<ScoredRow> scored;
    try {
      scored = scorer.score(rows);
    } catch (RuntimeException batchFailure) {
      // Find the culprit: one call per record, so only the record the model rejects is dead-lettered.
      for (Pending p : batch) {
        ScoredRow one;
        try {
          one = scorer.score(List.of(p.row())).get(0);
        } catch (RuntimeException e) {
          p.owner().deadLetter(p.record(), e);
          continue;
        }
        p.owner().forward(p.record(), p.row(), one);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      p.owner().forward(p.record(), p.row(), scored.get(i));
    }
  }
}
