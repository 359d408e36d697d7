package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.FakeScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CoalescingScorerTest {
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  /**
   * Echoes each row's single long value as its output; records every call's size and thread, and
   * can hold its first call until released, so a test can queue calls behind it deterministically.
   */
  static final class RecordingModel implements Scorer {
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<Thread> callingThreads = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstCallEntered = new CountDownLatch(1);
    final CountDownLatch releaseFirstCall;
    final long failingValue;

    RecordingModel(boolean holdFirstCall, long failingValue) {
      this.releaseFirstCall = new CountDownLatch(holdFirstCall ? 1 : 0);
      this.failingValue = failingValue;
    }

    @Override
    public ModelDescription model() {
      return new FakeScorer().model();
    }

    @Override
    public List<ScoredRow> score(List<FeatureRow> rows) {
      batchSizes.add(rows.size());
      callingThreads.add(Thread.currentThread());
      firstCallEntered.countDown();
      try {
        releaseFirstCall.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      List<ScoredRow> scored = new ArrayList<>();
      for (FeatureRow row : rows) {
        long value = (Long) row.value(0);
        if (value == failingValue) {
          throw new ScoringException("model refuses " + value);
        }
        scored.add(new ScoredRow(1, List.of(OutputValue.ofIntegers("echo", TensorType.DT_INT64, List.of(), new long[] {value})),
            1, rows.size()));
      }
      return scored;
    }

    @Override
    public void close() {}
  }

  private static long echo(List<ScoredRow> scored) {
    return scored.get(0).outputs().get(0).integers()[0];
  }

  private static List<FeatureRow> row(long value) {
    return List.of(new FeatureRow(value));
  }

  private void awaitQueued(CoalescingScorer scorer, int calls) {
    while (scorer.queuedCalls() < calls) {
      Thread.onSpinWait();
    }
  }

  /** With the model holding the first call, queues calls for 1 … 5 behind it, then lets the model go on. */
  private List<Future<Long>> queueFiveBehind(RecordingModel model, CoalescingScorer scorer) throws InterruptedException {
    model.firstCallEntered.await();
    List<Future<Long>> queued = new ArrayList<>();
    for (long v = 1; v <= 5; v++) {
      long value = v;
      queued.add(callers.submit(() -> echo(scorer.score(row(value)))));
    }
    awaitQueued(scorer, 5);
    model.releaseFirstCall.countDown();
    return queued;
  }

  @Test
  void callsQueuedWhileTheModelIsBusyGoIntoOneModelCall() throws Exception {
    RecordingModel model = new RecordingModel(true, Long.MIN_VALUE);
    CoalescingScorer scorer = new CoalescingScorer(model, 64, Duration.ZERO);
    Future<Long> first = callers.submit(() -> echo(scorer.score(row(0))));
    List<Future<Long>> queued = queueFiveBehind(model, scorer);

    assertEquals(0L, first.get());
    for (int i = 0; i < queued.size(); i++) {
      assertEquals(i + 1L, queued.get(i).get(), "each caller gets its own row's result");
    }
    assertEquals(List.of(1, 5), model.batchSizes, "the five calls that queued behind the first went in one model call");
  }

  @Test
  void aLoneCallIsScoredAtOnceInTheCallersThread() {
    RecordingModel model = new RecordingModel(false, Long.MIN_VALUE);
    CoalescingScorer scorer = new CoalescingScorer(model, 64, Duration.ZERO);

    assertEquals(7L, echo(scorer.score(row(7))));
    assertEquals(List.of(1), model.batchSizes);
    assertEquals(Thread.currentThread(), model.callingThreads.get(0));
  }

  @Test
  void aFailingRowFailsOnlyItsOwnCaller() throws Exception {
    RecordingModel model = new RecordingModel(true, 3);
    CoalescingScorer scorer = new CoalescingScorer(model, 64, Duration.ZERO);
    Future<Long> first = callers.submit(() -> echo(scorer.score(row(0))));
    List<Future<Long>> queued = queueFiveBehind(model, scorer);

    assertEquals(0L, first.get());
    for (int i = 0; i < queued.size(); i++) {
      long value = i + 1;
      if (value == 3) {
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> queued.get(2).get());
        assertTrue(failure.getCause() instanceof ScoringException, "the bad row's caller gets the model's error: " + failure.getCause());
      } else {
        assertEquals(value, queued.get(i).get());
      }
    }
  }

  @Test
  void aBatchNeverCarriesMoreThanMaxRows() throws Exception {
    RecordingModel model = new RecordingModel(true, Long.MIN_VALUE);
    CoalescingScorer scorer = new CoalescingScorer(model, 2, Duration.ZERO);
    Future<Long> first = callers.submit(() -> echo(scorer.score(row(0))));
    List<Future<Long>> queued = queueFiveBehind(model, scorer);
    for (int i = 0; i < queued.size(); i++) {
      assertEquals(i + 1L, queued.get(i).get());
    }
    first.get();

    assertEquals(List.of(1, 2, 2, 1), model.batchSizes);
  }

  @Test
  void aLeaderWaitsUpToMaxWaitForAFullBatch() throws Exception {
    RecordingModel model = new RecordingModel(false, Long.MIN_VALUE);
    CoalescingScorer scorer = new CoalescingScorer(model, 2, Duration.ofMinutes(1));
    Future<Long> first = callers.submit(() -> echo(scorer.score(row(1))));
    Future<Long> second = callers.submit(() -> echo(scorer.score(row(2))));

    assertEquals(1L, first.get());
    assertEquals(2L, second.get());
    assertEquals(List.of(2), model.batchSizes, "the first call waited for the second instead of running alone");
  }

  @Test
  void manyThreadsCallingAtOnceEachGetTheirOwnResultsInOrder() throws Exception {
    RecordingModel model = new RecordingModel(false, Long.MIN_VALUE);
    CoalescingScorer scorer = new CoalescingScorer(model, 64, Duration.ZERO);
    int threads = 8;
    int callsPerThread = 20_000;
    List<Future<Integer>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long base = (long) t * callsPerThread;
      workers.add(callers.submit(() -> {
        int wrong = 0;
        for (int i = 0; i < callsPerThread; i++) {
          if (echo(scorer.score(row(base + i))) != base + i) {
            wrong++;
          }
        }
        return wrong;
      }));
    }
    for (Future<Integer> worker : workers) {
      assertEquals(0, worker.get(50, TimeUnit.SECONDS), "results handed to the wrong caller");
    }
    int rows = model.batchSizes.stream().mapToInt(Integer::intValue).sum();
    assertEquals(threads * callsPerThread, rows, "every row scored exactly once");
    assertTrue(model.batchSizes.stream().allMatch(size -> size <= threads), "a batch holds at most one call per thread");
  }
}
