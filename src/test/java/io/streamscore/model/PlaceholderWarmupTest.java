package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that rejects values StreamScore makes up (an exact vocabulary feeding an embedding, as a
 * Python Estimator exports it) is served, and warmed with real rows when the sources give them.
 * Inputs in signature order: {@code amount float, category string}.
 */
class PlaceholderWarmupTest {
  private static final FeatureRow GROCERY = new FeatureRow(1.5f, "grocery");
  private static final FeatureRow ELECTRONICS = new FeatureRow(2f, "electronics");

  @TempDir
  Path base;

  private static ModelOptions options(Path base) {
    return ModelOptions.defaults(base).withVersionPolicy(VersionPolicy.latest(), Duration.ZERO);
  }

  private static ModelOptions withSamples(ModelOptions options, FeatureRow... samples) {
    return options.withWarmupRows(signature -> new WarmupRows(List.of(samples), List.of()));
  }

  private static double score(Scorer scorer, FeatureRow row) {
    return scorer.score(List.of(row)).get(0).outputs().get(0).floats()[0];
  }

  @Test
  void shouldServeAModelThatRejectsPlaceholderValuesAndNameTheInputAtFault() throws Exception {
    TestModels.vocabularyEmbedding(base, 1, "grocery", "electronics");
    try (SavedModelScorer scorer = SavedModelScorer.load(options(base))) {
      WarmupReport report = scorer.warmupReport();
      assertEquals(WarmupReport.RowsFrom.PLACEHOLDERS, report.rowsFrom());
      String warning = report.placeholdersRejected().orElseThrow(() -> new AssertionError("no warning for rejected placeholders"));
      assertTrue(warning.contains("input 'category'"), warning);
      assertTrue(!warning.contains("'amount'"), "amount does not feed the failing lookup: " + warning);
      assertTrue(warning.contains("is not in [0, 2)"), "TensorFlow's reason is kept: " + warning);
      assertTrue(warning.contains("warmup.records"), "the warning says how to give sample records: " + warning);

      assertEquals(11.5, score(scorer, GROCERY), 1e-6, "a real record scores as the model means it to");
      assertEquals(22, score(scorer, ELECTRONICS), 1e-6);
    }
  }

  @Test
  void shouldWarmUpWithSampleRecordsAtEveryBatchSizeWithoutAWarning() throws Exception {
    TestModels.vocabularyEmbedding(base, 1, "grocery", "electronics");
    ModelOptions options = withSamples(options(base), GROCERY, ELECTRONICS);
    options = new ModelOptions(options.basePath(), null, options.signatureKey(), options.tags(), true, List.of(1, 8, 64), 3, 0, 0,
        options.versionPolicy(), options.pollInterval(), options.warmupRows(), options.callTimeout());
    try (SavedModelScorer scorer = SavedModelScorer.load(options)) {
      WarmupReport report = scorer.warmupReport();
      assertEquals(WarmupReport.RowsFrom.SAMPLE_RECORDS, report.rowsFrom());
      assertTrue(report.placeholdersRejected().isEmpty(), () -> report.placeholdersRejected().get());
      assertEquals(1 + 3 * 3, report.calls(), "the samples once, then 3 iterations at each of 3 batch sizes");
      assertEquals(22, score(scorer, ELECTRONICS), 1e-6);
    }
  }

  @Test
  void shouldRefuseAtStartUpAVersionThatFailsItsOwnSampleRecords() throws Exception {
    TestModels.vocabularyEmbedding(base, 1, "travel", "electronics");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SavedModelScorer.load(withSamples(options(base), GROCERY)));
    assertTrue(e.getMessage().contains("failed its warm-up on sample records 1 to 1"), e.getMessage());
    assertTrue(e.getMessage().contains("is not in [0, 2)"), e.getMessage());
  }

  @Test
  void shouldStillRefuseAModelThatCannotRunWhateverIsFed() throws Exception {
    TestModels.stuck(base);
    ModelOptions options = options(base).withCallTimeout(Duration.ofMillis(200));
    // DEADLINE_EXCEEDED does not depend on the values fed: real traffic would hit it too.
    assertThrows(ModelLoadException.class, () -> SavedModelScorer.load(options));
  }

  @Test
  void shouldHotSwapANewVersionThatRejectsPlaceholders() throws Exception {
    TestModels.vocabularyEmbedding(base, 1, "grocery", "electronics");
    try (ModelManager manager = ModelManager.start(options(base))) {
      TestModels.vocabularyEmbedding(base, 2, "electronics", "grocery");
      assertEquals(2, manager.poll(), "the new version is swapped in, not refused");
      assertTrue(manager.refusals().isEmpty(), () -> manager.refusals().toString());
      assertEquals(2, manager.placeholderWarmupRejections(), "both versions' warnings are counted");
      assertEquals(21.5, score(manager, GROCERY), 1e-6, "version 2 serves: grocery is its second word");
    }
  }

  @Test
  void shouldRefuseAHotSwapThatFailsItsSampleRecordsWhileTheOldVersionServes() throws Exception {
    TestModels.vocabularyEmbedding(base, 1, "grocery", "electronics");
    try (ModelManager manager = ModelManager.start(withSamples(options(base), GROCERY))) {
      assertEquals(0, manager.placeholderWarmupRejections());
      TestModels.vocabularyEmbedding(base, 2, "travel", "electronics");
      assertEquals(1, manager.poll(), "version 1 goes on serving");
      assertEquals(1, manager.refusals().size());
      VersionRefusal refusal = manager.refusals().get(0);
      assertEquals(2, refusal.version());
      assertTrue(refusal.reason().contains("sample records"), refusal.reason());
      assertEquals(11.5, score(manager, GROCERY), 1e-6);
    }
  }
}
