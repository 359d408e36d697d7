package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench end to end on a real broker, small: every mode at two thread counts. Checks behaviour
 * only (every input gets exactly one prediction in every mode, the files are written); the
 * figures themselves are the benchmark's business, not a test's.
 */
@Timeout(900)
class BenchIntegrationTest {
  /**
   * Measured records per run: enough that no run's whole backlog comes out of its worker between
   * two of the harness's 50 ms polls (a warm worker scores 4,000 in less), which would leave no
   * moment to open the measuring window after the JIT warm-up.
   */
  private static final int MEASURED = 20_000;

  private static RunResult run(BenchReport report, BenchMode mode, int threads) {
    return report.runs().stream().filter(r -> r.mode() == mode && r.threads() == threads).findFirst().orElseThrow();
  }

  @Test
  void everyModeGivesExactlyOnePredictionPerInputAndTheReportsAreWritten(@TempDir Path out) throws Exception {
    BenchSettings settings = new BenchSettings(TestModels.demoModel(), MEASURED, 20, List.of(1, 2), Arrays.asList(BenchMode.values()),
        2, 1, 0.5, "exactly_once_v2", "512m", out, Map.of(), 1, true, 1_000, 0);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    BenchReport report = new BenchRunner(settings, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    List<Path> files = report.write();

    assertEquals(BenchMode.values().length * 2, report.runs().size());
    for (RunResult run : report.runs()) {
      assertTrue(run.exactlyOnePredictionPerInput(), BenchRunner.describe(run));
      // Every mode but session-per-record measures the records after the worker's 1,000 of JIT warm-up.
      assertEquals(run.mode().bounded() ? 20 : MEASURED, run.records(), BenchRunner.describe(run));
      long backlog = run.mode().bounded() ? 20 : MEASURED + 1_000;
      assertTrue(run.expectedPredictions() > backlog, "the whole backlog and the paced phase, checked: " + BenchRunner.describe(run));
      assertTrue(run.recordsPerSecond() > 0 && run.rssMb() > 0, BenchRunner.describe(run));
      assertTrue(run.cpu().total() > 0 && run.cpu().stream() > 0, "the worker's CPU, split: " + BenchRunner.describe(run));
      assertTrue(!Double.isNaN(run.conditions().loadStart()) && !Double.isNaN(run.conditions().foreignCores()), BenchRunner.describe(run));
      assertTrue(run.batches().meanRowsPerCall() >= 1, "rows per model call: " + BenchRunner.describe(run));
      if (run.mode().workerMode() == BenchMode.DEFAULT || run.mode() == BenchMode.PER_RECORD) {
        assertTrue(run.batches().modelCpuMicrosPerRow() > 0, "the model alone was measured: " + BenchRunner.describe(run));
      }
      double parts = run.cpu().stream() + run.cpu().tensorflow() + run.cpu().gc() + run.cpu().jit();
      assertTrue(parts <= run.cpu().total() + 1e-9 && run.cpu().tensorflow() >= 0, "the split adds up: " + BenchRunner.describe(run));
    }
    for (int threads : List.of(1, 2)) {
      RunResult one = run(report, BenchMode.DEFAULT, threads);
      RunResult perSource = run(report, BenchMode.PER_SOURCE_PROCESSES, threads);
      // Three JVMs, each with its pre-touched heap and its own model: their summed RSS is well over one StreamScore's.
      assertTrue(perSource.rssMb() > 2 * one.rssMb(), "one process per source, summed: " + BenchRunner.describe(perSource)
          + " against " + BenchRunner.describe(one));
    }
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("warm-up load (discarded)"), "a discarded warm-up load first");
    assertTrue(report.allRunsComplete());

    List<String> csv = Files.readAllLines(out.resolve(BenchReport.CSV_FILE));
    assertEquals(BenchReport.CSV_HEADER, csv.get(0));
    assertEquals(report.runs().size() + 1, csv.size());
    assertTrue(csv.stream().anyMatch(line -> line.startsWith("default,2," + MEASURED + ",")), String.join("\n", csv));
    BufferedImage plot = ImageIO.read(out.resolve(BenchReport.PLOT_FILE).toFile());
    assertNotNull(plot, "the plot is a PNG");
    String markdown = Files.readString(out.resolve(BenchReport.MARKDOWN_FILE));
    for (BenchMode mode : BenchMode.values()) {
      assertTrue(markdown.contains("| " + mode.label() + " | 1 |"), mode + " row missing:\n" + markdown);
      assertTrue(markdown.contains("| 1 | " + (Arrays.asList(BenchMode.values()).indexOf(mode) + 1) + " | " + mode.label() + " | 1 |"),
          mode + " run row missing:\n" + markdown);
    }
    assertTrue(markdown.contains("- one StreamScore / 3 processes (one per source) at 2 stream threads in all: throughput "),
        "the status-quo line:\n" + markdown);
    assertEquals(3, files.size());
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[bench] default x2:"), "progress lines while it runs");
  }
}
