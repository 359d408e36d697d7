package io.streamscore.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ScoredRow;
import io.streamscore.support.FakeScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StreamThreadBatchTest {
  private final FakeScorer scorer = new FakeScorer();
  private final AtomicLong nanos = new AtomicLong();
  /** Every forward and dead letter, in the order the batch made them: "task:offset" or "dead task:offset". */
  private final List<String> out = new ArrayList<>();

  private final class Task implements StreamThreadBatch.Owner {
    private final String name;

    Task(String name) {
      this.name = name;
    }

    @Override
    public void forward(PendingRecord record, FeatureRow row, ScoredRow scored) {
      assertEquals(row.value(1), (float) scored.outputs().get(0).floats()[0], "each record gets its own row's result");
      out.add(name + ":" + record.offset());
    }

    @Override
    public void deadLetter(PendingRecord record, RuntimeException reason) {
      out.add("dead " + name + ":" + record.offset());
    }

    void add(StreamThreadBatch batch, long offset, float amount) {
      batch.add(new StreamThreadBatch.Pending(this, new PendingRecord("t-" + name, 0, offset, null, new byte[0], 0, new RecordHeaders()),
          scorer.row(amount)));
    }
  }

  private StreamThreadBatch batch(int maxRows, long flushIntervalNanos) {
    return new StreamThreadBatch(scorer, maxRows, flushIntervalNanos, nanos::get);
  }

  @Test
  void recordsOfAllTheThreadsTasksShareOneModelCallInProcessingOrder() {
    StreamThreadBatch batch = batch(4, Long.MAX_VALUE);
    Task a = new Task("a");
    Task b = new Task("b");
    a.add(batch, 0, 1);
    b.add(batch, 0, 2);
    a.add(batch, 1, 3);
    assertEquals(List.of(), out, "nothing is scored before the batch is full");

    b.add(batch, 1, 4);

    assertEquals(List.of("a:0", "b:0", "a:1", "b:1"), out);
    assertEquals(List.of(4), scorer.batchSizes(), "one model call for both tasks' records");
    assertEquals(0, batch.size());
  }

  @Test
  void drainScoresEverythingPendingInCallsOfAtMostMaxRows() {
    StreamThreadBatch batch = batch(64, Long.MAX_VALUE);
    Task a = new Task("a");
    for (int i = 0; i < 63; i++) {
      a.add(batch, i, i);
    }
    batch.drain();
    assertEquals(63, out.size());
    assertEquals(List.of(63), scorer.batchSizes());

    StreamThreadBatch small = batch(2, Long.MAX_VALUE);
    a.add(small, 100, 1);
    small.drain();
    small.drain();
    assertEquals(List.of(63, 1), scorer.batchSizes(), "an empty drain calls no model");
  }

  @Test
  void aPartialBatchIsScoredOnlyOnceItsOldestRecordHasWaitedTheFlushInterval() {
    StreamThreadBatch batch = batch(64, 10);
    Task a = new Task("a");
    a.add(batch, 0, 1);
    nanos.set(5);
    a.add(batch, 1, 2);
    batch.drainIfDue();
    assertEquals(List.of(), out, "the oldest has waited 5 of 10");

    nanos.set(10);
    batch.drainIfDue();

    assertEquals(List.of("a:0", "a:1"), out);
    assertEquals(List.of(2), scorer.batchSizes());
  }

  @Test
  void aRecordTheModelRejectsIsDeadLetteredAndTheRestOfItsBatchIsScoredInOrder() {
    StreamThreadBatch batch = batch(3, Long.MAX_VALUE);
    Task a = new Task("a");
    Task b = new Task("b");
    a.add(batch, 0, 1);
    b.add(batch, 7, FakeScorer.FAILING_AMOUNT);
    a.add(batch, 1, 3);

    assertEquals(List.of("a:0", "dead b:7", "a:1"), out);
    assertEquals(List.of(3, 1, 1, 1), scorer.batchSizes(), "the failed call, then one call per record");
  }

  @Test
  void aClosingTaskTakesOnlyItsOwnRecordsOut() {
    StreamThreadBatch batch = batch(64, Long.MAX_VALUE);
    Task a = new Task("a");
    Task b = new Task("b");
    a.add(batch, 0, 1);
    b.add(batch, 0, 2);
    a.add(batch, 1, 3);

    assertEquals(2, batch.discard(a));
    batch.drain();

    assertEquals(List.of("b:0"), out);
  }
}
