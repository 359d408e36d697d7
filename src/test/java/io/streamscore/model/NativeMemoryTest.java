package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.FraudScenario;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.ModelDirectories;
import io.streamscore.support.TestModels;
import io.streamscore.training.FraudModelTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * TensorFlow's memory is native, not the garbage collector's: a Tensor or Result left open leaks
 * for good. Scoring ten million records after warm-up must leave the process's RSS where it was.
 */
class NativeMemoryTest {
  private static final int RECORDS = 10_000_000;
  private static final int BATCH = 500;

  @Test
  @EnabledOnOs(OS.LINUX)
  void shouldKeepResidentMemoryFlatOverTenMillionScoredRecords() {
    Random random = new Random(21);
    List<FeatureRow> batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      batch.add(FraudModelTrainer.featureRow(FraudScenario.draw(random, i % 3 == 0)));
    }
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()))) {
      // Settle allocator pools and the Java heap first, so what is measured is growth per record.
      for (int i = 0; i < 400; i++) {
        scorer.score(batch);
      }
      System.gc();
      long before = ModelDirectories.residentKb();
      long scored = 0;
      while (scored < RECORDS) {
        scored += scorer.score(batch).size();
      }
      System.gc();
      long after = ModelDirectories.residentKb();
      double growth = (after - before) / (double) before;
      System.out.printf("native memory: RSS %d MB before, %d MB after %d records (%+.2f%%)%n", before / 1024, after / 1024, scored,
          100 * growth);
      assertEquals(RECORDS, scored);
      assertTrue(growth < 0.05, String.format("RSS grew by %.2f%% (%d kB -> %d kB)", 100 * growth, before, after));
    }
  }
}
