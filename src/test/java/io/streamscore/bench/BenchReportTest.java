package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static final BenchSettings SETTINGS = new BenchSettings(Path.of("models/fraud"), 1000, 10, List.of(1, 8),
      List.of(BenchMode.PASSTHROUGH, BenchMode.PER_THREAD_COPIES, BenchMode.DEFAULT), 4, 5, 0.5, "exactly_once_v2", "1g",
      Path.of("target/bench"), Map.of(), 2, true, 200, 0);

  private static RunResult run(BenchMode mode, int threads, int repetition, double perSecond, double rssMb, double foreignCores) {
    return new RunResult(mode, threads, "exactly_once_v2", 1000, perSecond, 5, 20, 40, rssMb, 100, 1.5, 1100, 1100, 0, null,
        new RunResult.Conditions(repetition, 1, 0.4, 2.1, foreignCores),
        new RunResult.CpuPerRecord(10, mode == BenchMode.DEFAULT ? 6 : 1, 1, 1, 2, mode == BenchMode.DEFAULT ? 20 : 15),
        new RunResult.Batches(mode == BenchMode.DEFAULT ? 40 : 1, mode == BenchMode.DEFAULT ? 64 : 1, mode == BenchMode.DEFAULT ? 4 : Double.NaN), perSecond * 0.9);
  }

  private static RunResult run(BenchMode mode, int threads, int repetition, double perSecond, double rssMb) {
    return run(mode, threads, repetition, perSecond, rssMb, 0.05);
  }

  private static BenchReport report() {
    return new BenchReport(SETTINGS, List.of(
        run(BenchMode.PASSTHROUGH, 1, 1, 50_000, 600), run(BenchMode.PASSTHROUGH, 8, 1, 60_000, 650),
        run(BenchMode.PER_THREAD_COPIES, 1, 1, 10_000, 800), run(BenchMode.PER_THREAD_COPIES, 8, 1, 15_000, 2_250),
        run(BenchMode.DEFAULT, 1, 1, 40_000, 810), run(BenchMode.DEFAULT, 8, 1, 57_000, 870),
        run(BenchMode.DEFAULT, 1, 2, 45_000, 820), run(BenchMode.DEFAULT, 8, 2, 54_000, 860),
        run(BenchMode.PASSTHROUGH, 1, 2, 60_000, 610), run(BenchMode.PASSTHROUGH, 8, 2, 60_000, 640),
        // Other work shared the cores: not a figure, so it moves no median.
        run(BenchMode.DEFAULT, 1, 3, 1_000, 800, 1.2), run(BenchMode.PASSTHROUGH, 1, 3, 90_000, 600)),
        3, new Machine(8, 16_384, "test CPU", "Linux", "Java 17"), 0, 60_000);
  }

  @Test
  void shouldCompareWithPassthroughAtTheSameThreadCountInTheSameRepetition() {
    BenchReport report = report();
    assertEquals(0.8, report.ratioToPassthrough(report.runs().get(4)).orElseThrow(), 1e-9);
    assertEquals(0.95, report.ratioToPassthrough(report.runs().get(5)).orElseThrow(), 1e-9);
    assertEquals(0.75, report.ratioToPassthrough(report.runs().get(6)).orElseThrow(), 1e-9);
  }

  @Test
  void shouldGiveTheMedianRatioOverRepetitionsWithItsRangeLeavingOutRunsThatSharedTheCores() {
    BenchReport.Spread ratio = report().ratioSpread(BenchMode.DEFAULT, 1).orElseThrow();
    assertEquals(2, ratio.n(), "the run with other work on the machine is not a figure");
    assertEquals(0.775, ratio.median(), 1e-9);
    assertEquals(0.75, ratio.min(), 1e-9);
    assertEquals(0.8, ratio.max(), 1e-9);
    BenchReport.Spread rate = report().rateSpread(BenchMode.PASSTHROUGH, 1).orElseThrow();
    assertEquals(List.of(60_000.0, 3), List.of(rate.median(), rate.n()), "three passthrough figures at one thread");
    assertTrue(report().comparisonLines().get(0).startsWith(
        "default / passthrough at 1 thread: 0.78 over 2 repetition(s): undecided (a verdict needs at least 3)"), report().comparisonLines().get(0));
  }

  @Test
  void shouldGiveTheVerdictAtTheMachinesNumberOfCoresAndTheBootstrapIntervalOfTheRatios() {
    List<String> lines = report().comparisonLines();
    assertTrue(lines.get(1).startsWith("default / passthrough at 8 threads (the number of cores, as shipped: the verdict): "), lines.get(1));
    // Ratios 57,000 / 60,000 and 54,000 / 60,000: two repetitions, too few for an interval.
    assertEquals(RatioVerdict.Outcome.UNDECIDED, report().verdict(8).outcome());
    assertEquals(0.925, report().verdict(8).median(), 1e-9);
  }

  @Test
  void shouldMarkARunThatSharedTheMachineWithOtherWorkAsNotAFigure() {
    assertFalse(run(BenchMode.DEFAULT, 1, 1, 1, 1, RunResult.FOREIGN_CORES_LIMIT + 0.01).figure());
    assertTrue(run(BenchMode.DEFAULT, 1, 1, 1, 1, RunResult.FOREIGN_CORES_LIMIT).figure());
  }

  @Test
  void shouldTakeOutWhatMoreStreamThreadsCostWithoutAModelFromTheModelsMemoryGrowth() {
    BenchReport report = report();
    // Medians: passthrough 600 -> 645 (45), per-thread copies 800 -> 2250, default 815 -> 865.
    assertEquals(1_405, report.modelMemoryGrowthMb(BenchMode.PER_THREAD_COPIES).orElseThrow(), 1e-9);
    assertEquals(5, report.modelMemoryGrowthMb(BenchMode.DEFAULT).orElseThrow(), 1e-9);
  }

  @Test
  void shouldWriteOneCsvRowPerRunInTheDocumentedColumns() {
    List<String> lines = report().csv().lines().toList();
    assertEquals(BenchReport.CSV_HEADER, lines.get(0));
    assertEquals("default,8,1000,57000,0.950,5.0,20.0,40.0,870,100,1,1,0.40,2.10,0.05,true,10.00,6.00,1.00,1.00,2.00,20.00,40.0,64,4.000,51300",
        lines.get(6));
    assertEquals(13, lines.size());
  }

  @Test
  void shouldShowTheDefaultsExtraCpuAgainstTheModelsOwnInTheSummary() {
    String markdown = report().markdown(0);
    // Extra over passthrough 20 - 15 = 5 µs a record, the model alone 4 µs a row: 1.25.
    assertTrue(markdown.contains("| 5.0 | 40.0 | 64 | 4.00 | 1.25 |"), markdown);
  }

  @Test
  void shouldNotCallARunWithAMissingOrDoubledPredictionComplete() {
    RunResult good = run(BenchMode.DEFAULT, 1, 1, 1, 1);
    RunResult missing = new RunResult(BenchMode.DEFAULT, 1, "exactly_once_v2", 1000, 1, 1, 1, 1, 1, 1, 1, 1100, 1099, 0, null,
        good.conditions(), good.cpu(), good.batches(), 1);
    RunResult doubled = new RunResult(BenchMode.DEFAULT, 1, "exactly_once_v2", 1000, 1, 1, 1, 1, 1, 1, 1, 1100, 1100, 3, null,
        good.conditions(), good.cpu(), good.batches(), 1);
    assertFalse(missing.exactlyOnePredictionPerInput());
    assertFalse(doubled.exactlyOnePredictionPerInput());
    assertFalse(missing.figure());
    assertTrue(good.exactlyOnePredictionPerInput());
  }

  @Test
  void shouldRunEveryModeFirstAndLastAtEveryThreadCount() {
    List<BenchRunner.Slot> slots = BenchRunner.schedule(List.of(BenchMode.PASSTHROUGH, BenchMode.DEFAULT), List.of(1, 4), 2);
    assertEquals(List.of("1/1/1/passthrough", "1/1/2/default", "1/4/1/passthrough", "1/4/2/default",
        "2/1/1/default", "2/1/2/passthrough", "2/4/1/default", "2/4/2/passthrough"),
        slots.stream().map(s -> s.repetition() + "/" + s.threads() + "/" + s.position() + "/" + s.mode()).toList());
  }

  @Test
  void shouldJudgeOneStreamScoreAgainstTheProcessesPerRepetitionAndCheckItsRssAgainstAProcessPlusABaseline() {
    BenchSettings settings = new BenchSettings(Path.of("models/fraud"), 1000, 10, List.of(3), List.of(BenchMode.DEFAULT,
        BenchMode.PER_SOURCE_PROCESSES), 4, 5, 0.5, "exactly_once_v2", "1g", Path.of("target/bench"), Map.of(), 3, true, 200, 0);
    // Three processes of 1,500 MB each (200 MB of it the model) against one StreamScore of 1,600 MB.
    BenchReport report = new BenchReport(settings, List.of(
        run(BenchMode.DEFAULT, 3, 1, 60_000, 1_600), run(BenchMode.PER_SOURCE_PROCESSES, 3, 1, 40_000, 4_500),
        run(BenchMode.PER_SOURCE_PROCESSES, 3, 2, 42_000, 4_500), run(BenchMode.DEFAULT, 3, 2, 63_000, 1_600),
        run(BenchMode.DEFAULT, 3, 3, 66_000, 1_600), run(BenchMode.PER_SOURCE_PROCESSES, 3, 3, 44_000, 4_500)),
        3, new Machine(2, 16_384, "test CPU", "Linux", "Java 17"), 0, 60_000);

    RatioVerdict verdict = report.statusQuoVerdict(3);
    assertEquals(1.5, verdict.median(), 1e-9, "the ratios of the same repetition's runs: 1.5, 1.5, 1.5");
    assertEquals(RatioVerdict.Outcome.MET, verdict.outcome());
    String line = report.statusQuoLines(200L * 1048576).get(0);
    // A process is 1,500 MB, its baseline without the model 1,300: the bound is 2,800 MB.
    assertTrue(line.startsWith("one StreamScore / 3 processes (one per source) at 3 stream threads in all: throughput 1.50"), line);
    assertTrue(line.contains("RSS 1,600 MB against 4,500 MB summed (0.36 ×); goal ≤ 2,800 MB"), line);
    assertTrue(line.endsWith(": met; CPU µs a record 20.0 against 15.0"), line);
    assertTrue(report().statusQuoLines(0).isEmpty(), "no status-quo line where per-source-processes did not run");
  }
}
