package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamscore.demo.FraudScenario;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.TestModels;
import io.streamscore.training.FraudModelTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sharing one session between threads must be proven, not assumed: every concurrent result is
 * compared bit for bit with a single-threaded reference at the same batch shape (TensorFlow's
 * results may differ in the last bits between batch shapes, never between threads).
 */
class SharedModelConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 100_000;
  private static final int DISTINCT_ROWS = 20_000;

  @Test
  void shouldGiveBitIdenticalResultsToASingleThreadedReferenceUnderEightThreads() throws Exception {
    List<FeatureRow> rows = rows(DISTINCT_ROWS, 1);
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()))) {
      List<ScoredRow> reference = new ArrayList<>(rows.size());
      for (FeatureRow row : rows) {
        reference.add(scorer.score(List.of(row)).get(0));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> mismatches = new ArrayList<>();
      AtomicInteger calls = new AtomicInteger();
      for (int t = 0; t < THREADS; t++) {
        int offset = t * 2_503; // each thread walks the rows from a different place
        mismatches.add(pool.submit(() -> {
          start.await();
          int bad = 0;
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            int r = (offset + i) % rows.size();
            ScoredRow result = scorer.score(List.of(rows.get(r))).get(0);
            calls.incrementAndGet();
            if (!sameBits(reference.get(r), result)) {
              bad++;
            }
          }
          return bad;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : mismatches) {
        total += f.get();
      }
      pool.shutdown();
      assertEquals(THREADS * CALLS_PER_THREAD, calls.get());
      assertEquals(0, total, "results that differ from the single-threaded reference");
    }
  }

  @Test
  void shouldGiveCorrectResultsWhenManyThreadsMakeTheFirstCallOfAColdModelAtOnce() throws Exception {
    List<FeatureRow> rows = rows(64, 2);
    int threads = 16;
    // The cold session: no warm-up, so the threads below race through TensorFlow's lazy initialisation.
    try (SavedModelScorer cold = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()).withWarmup(false))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<ScoredRow>>> firstCalls = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int batchSize = t % 2 == 0 ? 1 : rows.size();
        firstCalls.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          List<ScoredRow> results = new ArrayList<>();
          if (batchSize == 1) {
            for (FeatureRow row : rows) {
              results.addAll(cold.score(List.of(row)));
            }
          } else {
            results.addAll(cold.score(rows));
          }
          return results;
        }));
      }
      ready.await();
      go.countDown();
      List<List<ScoredRow>> results = new ArrayList<>();
      for (Future<List<ScoredRow>> f : firstCalls) {
        results.add(f.get());
      }
      pool.shutdown();
      // References from a separate, warmed-up session, at the same batch shapes.
      try (SavedModelScorer warm = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()))) {
        List<ScoredRow> batchOfOne = new ArrayList<>();
        for (FeatureRow row : rows) {
          batchOfOne.addAll(warm.score(List.of(row)));
        }
        List<ScoredRow> wholeBatch = warm.score(rows);
        for (int t = 0; t < threads; t++) {
          List<ScoredRow> expected = t % 2 == 0 ? batchOfOne : wholeBatch;
          for (int i = 0; i < rows.size(); i++) {
            assertEquals(true, sameBits(expected.get(i), results.get(t).get(i)), "thread " + t + ", row " + i);
          }
        }
      }
    }
  }

  private static List<FeatureRow> rows(int n, long seed) {
    Random random = new Random(seed);
    List<FeatureRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(FraudModelTrainer.featureRow(FraudScenario.draw(random, random.nextBoolean())));
    }
    return rows;
  }

  /** Equal outputs, floating point compared by bits, not within a tolerance. */
  static boolean sameBits(ScoredRow expected, ScoredRow actual) {
    if (expected.outputs().size() != actual.outputs().size()) {
      return false;
    }
    for (int o = 0; o < expected.outputs().size(); o++) {
      OutputValue e = expected.outputs().get(o);
      OutputValue a = actual.outputs().get(o);
      if (e.floats().length != a.floats().length) {
        return false;
      }
      for (int i = 0; i < e.floats().length; i++) {
        if (Double.doubleToRawLongBits(e.floats()[i]) != Double.doubleToRawLongBits(a.floats()[i])) {
          return false;
        }
      }
      if (!java.util.Arrays.equals(e.integers(), a.integers()) || !java.util.Arrays.equals(e.strings(), a.strings())) {
        return false;
      }
    }
    return true;
  }
}
