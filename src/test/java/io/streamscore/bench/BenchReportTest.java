package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static final BenchSettings SETTINGS = new BenchSettings(Path.of("models/fraud"), 1000, 10, List.of(1, 8),
      List.of(BenchMode.PASSTHROUGH, BenchMode.PER_THREAD_COPIES, BenchMode.DEFAULT), 4, 5, 0.5, "exactly_once_v2", false, 0, "1g",
      Path.of("target/bench"), Map.of());

  private static RunResult run(BenchMode mode, int threads, double perSecond, double rssMb) {
    return new RunResult(mode, threads, "exactly_once_v2", 1000, perSecond, 5, 20, 40, rssMb, 100, 1.5, 1100, 1100, 0, null);
  }

  private static BenchReport report() {
    return new BenchReport(SETTINGS, List.of(
        run(BenchMode.PASSTHROUGH, 1, 50_000, 600), run(BenchMode.PASSTHROUGH, 8, 60_000, 650),
        run(BenchMode.PER_THREAD_COPIES, 1, 10_000, 800), run(BenchMode.PER_THREAD_COPIES, 8, 15_000, 2_250),
        run(BenchMode.DEFAULT, 1, 40_000, 810), run(BenchMode.DEFAULT, 8, 57_000, 870)), List.of(), Machine.describe(), 0, 60_000);
  }

  @Test
  void throughputIsComparedWithPassthroughAtTheSameThreadCount() {
    BenchReport report = report();
    assertEquals(0.8, report.ratioToPassthrough(report.runs().get(4)).orElseThrow(), 1e-9);
    assertEquals(0.95, report.ratioToPassthrough(report.runs().get(5)).orElseThrow(), 1e-9);
  }

  @Test
  void modelMemoryGrowthTakesOutWhatMoreStreamThreadsCostWithoutAModel() {
    BenchReport report = report();
    assertEquals(1_400, report.modelMemoryGrowthMb(BenchMode.PER_THREAD_COPIES).orElseThrow(), 1e-9);
    assertEquals(10, report.modelMemoryGrowthMb(BenchMode.DEFAULT).orElseThrow(), 1e-9);
  }

  @Test
  void csvHasOneRowPerModeAndThreadCountInTheDocumentedColumns() {
    List<String> lines = report().csv().lines().toList();
    assertEquals("mode,threads,records,records_per_s,ratio_to_passthrough,p50_ms,p99_ms,p999_ms,rss_mb,heap_mb", lines.get(0));
    assertEquals("default,8,1000,57000,0.950,5.0,20.0,40.0,870,100", lines.get(6));
    assertEquals(7, lines.size());
  }

  @Test
  void aRunWithAMissingOrDoubledPredictionIsNotComplete() {
    RunResult missing = new RunResult(BenchMode.DEFAULT, 1, "exactly_once_v2", 1000, 1, 1, 1, 1, 1, 1, 1, 1100, 1099, 0, null);
    RunResult doubled = new RunResult(BenchMode.DEFAULT, 1, "exactly_once_v2", 1000, 1, 1, 1, 1, 1, 1, 1, 1100, 1100, 3, null);
    assertEquals(false, missing.exactlyOnePredictionPerInput());
    assertEquals(false, doubled.exactlyOnePredictionPerInput());
    assertEquals(true, run(BenchMode.DEFAULT, 1, 1, 1).exactlyOnePredictionPerInput());
  }
}
