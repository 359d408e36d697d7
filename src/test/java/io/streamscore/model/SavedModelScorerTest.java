package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.FraudScenario;
import io.streamscore.demo.Payment;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.support.TestModels;
import io.streamscore.training.FraudModelTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelScorerTest {

  @TempDir
  Path temp;

  @Test
  void shouldFeedEveryDtypeAndRankAndReturnEveryOutputPerRecord() throws Exception {
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.dtypeZoo(temp)))) {
      ModelSignature signature = scorer.model().signature();
      assertEquals(List.of("f32", "f64", "flag", "i32", "i64", "pair", "text"), signature.inputs().stream().map(TensorSpec::name).toList());
      assertEquals(7, scorer.model().version());
      // Inputs in signature order: f32, f64, flag, i32, i64, pair, text.
      FeatureRow first = new FeatureRow(1.5f, 0.25, true, 3, 10_000_000_000L, new float[] {1f, 2f}, "abcd");
      FeatureRow second = new FeatureRow(-2f, 1.0, false, -1, 5L, new float[] {0.5f, 0.5f}, "");
      List<ScoredRow> scored = scorer.score(List.of(first, second));

      assertEquals(2, scored.size());
      Map<String, OutputValue> a = scored.get(0).byName();
      Map<String, OutputValue> b = scored.get(1).byName();
      assertEquals((float) (2 * 1.5 + 0.25 + 3 + 1e10 + 1 + 4 + 3), (float) a.get("total").firstAsDouble());
      assertEquals((float) (2 * -2.0 + 1.0 - 1 + 5 + 0 + 0 + 1), (float) b.get("total").firstAsDouble());
      assertArrayEquals(new String[] {"abcd"}, a.get("text_out").strings());
      assertArrayEquals(new String[] {""}, b.get("text_out").strings());
      assertArrayEquals(new long[] {10_000_000_000L}, a.get("i64_out").integers());
      assertArrayEquals(new long[] {1}, a.get("flag_out").integers());
      assertArrayEquals(new long[] {0}, b.get("flag_out").integers());
      assertArrayEquals(new double[] {0.5, 0.5}, b.get("pair_out").floats());
      assertEquals(List.of(2L), b.get("pair_out").shape());
      assertEquals(TensorType.DT_STRING, a.get("text_out").type());
      assertEquals(7, scored.get(0).modelVersion());
    }
  }

  @Test
  void shouldScoreOneRecordPerCallWhenTheBatchDimensionIsFixed() throws Exception {
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.fixedBatch(temp)))) {
      assertEquals(1, scorer.model().signature().maxRecordsPerCall());
      List<ScoredRow> scored = scorer.score(List.of(new FeatureRow(1f), new FeatureRow(2f), new FeatureRow(-4f)));
      assertEquals(List.of(3.0, 6.0, -12.0), scored.stream().map(r -> r.outputs().get(0).firstAsDouble()).toList());
    }
  }

  @Test
  void shouldServeTheNewestNumericVersionDirectory() throws Exception {
    TestModels.dtypeZoo(temp);
    Files.createDirectories(temp.resolve("not-a-version"));
    Files.createDirectories(temp.resolve("3"));
    assertEquals(7, ModelVersions.latest(temp).number());
  }

  @Test
  void shouldRefuseAMissingSignatureNamingTheOnesTheModelHas() throws Exception {
    Path model = TestModels.dtypeZoo(temp);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> SavedModelScorer.load(ModelOptions.defaults(model).withSignature("predict_fraud")));
    assertTrue(e.getMessage().contains("'predict_fraud'"), e.getMessage());
    assertTrue(e.getMessage().contains("serving_default"), e.getMessage());
  }

  @Test
  void shouldRefuseAPathWithoutModelVersions() {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SavedModelScorer.load(ModelOptions.defaults(temp)));
    assertTrue(e.getMessage().contains("no model version under"), e.getMessage());
  }

  @Test
  void shouldWarmUpBeforeHandingOutTheScorerOnlyWhenAskedTo() throws Exception {
    Path model = TestModels.dtypeZoo(temp);
    try (SavedModelScorer warm = SavedModelScorer.load(ModelOptions.defaults(model))) {
      WarmupReport report = warm.warmupReport();
      assertEquals(20, report.calls());
      assertTrue(report.firstCall().compareTo(Duration.ZERO) > 0);
    }
    try (SavedModelScorer cold = SavedModelScorer.load(ModelOptions.defaults(model).withWarmup(false))) {
      assertEquals(0, cold.warmupReport().calls());
    }
  }

  @Test
  void shouldReportAFailedCallAsAScoringExceptionNamingTheModel() throws Exception {
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.dtypeZoo(temp)))) {
      // A rank-2 input given the wrong number of values per record cannot be fed.
      FeatureRow wrongShape = new FeatureRow(1f, 1.0, true, 1, 1L, new float[] {1f}, "x");
      ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(List.of(wrongShape)));
      assertTrue(e.getMessage().contains("version 7"), e.getMessage());
    }
  }

  @Test
  void shouldAbortAStuckModelCallAfterTheCallTimeoutAndReportIt() throws Exception {
    ModelOptions options = ModelOptions.defaults(TestModels.stuck(temp)).withWarmup(false).withCallTimeout(Duration.ofMillis(300));
    try (SavedModelScorer scorer = SavedModelScorer.load(options)) {
      ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(List.of(new FeatureRow(1f))));
      assertTrue(e.getMessage().contains("did not answer within 300 ms (model.call.timeout.ms)"), e.getMessage());
    }
  }

  @Test
  void shouldScoreTheDemoModelLikeTheScenarioRanksRisk() {
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()))) {
      assertEquals("fraud", scorer.model().name());
      assertEquals(FraudModelTrainer.INPUTS, scorer.model().signature().inputs().stream().map(TensorSpec::name).toList());
      Random random = new Random(99);
      List<FeatureRow> rows = new ArrayList<>();
      List<Payment> payments = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        Payment p = FraudScenario.draw(random, false);
        payments.add(p);
        rows.add(FraudModelTrainer.featureRow(p));
      }
      List<ScoredRow> scored = scorer.score(rows);
      double[] predicted = scored.stream().mapToDouble(r -> r.byName().get("fraud_probability").firstAsDouble()).toArray();
      double[] truth = payments.stream().mapToDouble(Payment::fraudProbability).toArray();
      // The model learned the rule: its scores correlate strongly with the true probability.
      assertTrue(correlation(predicted, truth) > 0.9, "correlation " + correlation(predicted, truth));
      for (ScoredRow row : scored) {
        double p = row.byName().get("fraud_probability").firstAsDouble();
        long band = row.byName().get("risk_band").integers()[0];
        assertEquals(p >= 0.5 ? 2 : p >= 0.2 ? 1 : 0, band);
        assertEquals(List.of("approve", "review", "decline").get((int) band), row.byName().get("decision").strings()[0]);
      }
    }
  }

  private static double correlation(double[] x, double[] y) {
    double mx = 0, my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= x.length;
    my /= y.length;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
