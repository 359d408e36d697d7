package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.ScoringException;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's model: the demo's signature, answering at once except for a batch holding the stall amount. */
class StallingModelTest {
  @TempDir
  Path temp;

  private static FeatureRow payment(float amount) {
    return new FeatureRow(120L, amount, true, 3.5, 14, "grocery", new float[] {1, 2, 3});
  }

  @Test
  void shouldScoreOrdinaryPaymentsAndStallOnlyOnTheStallAmountUntilTheCallTimeout() throws Exception {
    TestModels.fraudShapedStallingOn(temp, 1, SoakPublisher.STALL_AMOUNT);
    ModelOptions options = ModelOptions.defaults(temp).withWarmup(false).withCallTimeout(Duration.ofMillis(500));
    try (SavedModelScorer scorer = SavedModelScorer.load(options)) {
      assertEquals(DemoSignatures.fraudInputs(), scorer.model().signature().inputs(), "the demo sources' mappings fit it");
      List<ScoredRow> scored = scorer.score(List.of(payment(12.5f), payment(9_000f)));
      assertEquals(2, scored.size());
      double p = scored.get(0).byName().get("fraud_probability").firstAsDouble();
      assertTrue(p > 0 && p < 1, "a probability: " + p);
      ScoringException stalled = assertThrows(ScoringException.class,
          () -> scorer.score(List.of(payment(12.5f), payment(SoakPublisher.STALL_AMOUNT))));
      assertTrue(stalled.getMessage().contains("did not answer within 500 ms (model.call.timeout.ms)"), stalled.getMessage());
      assertEquals(1, scorer.score(List.of(payment(40f))).size(), "the session still answers after an aborted call");
    }
  }
}
