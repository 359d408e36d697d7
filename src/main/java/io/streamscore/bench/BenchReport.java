package io.streamscore.bench;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A finished benchmark and its three renderings: a CSV (one row per mode and thread count), a
 * Markdown report (tables, memory growth, latency after start-up, the machine), and a PNG plot of
 * throughput and RSS against stream threads, one line per mode.
 */
public record BenchReport(BenchSettings settings, List<RunResult> runs, List<LatencyResult> latencies, Machine machine,
    long startedMillis, long finishedMillis) {

  public static final String CSV_HEADER = "mode,threads,records,records_per_s,ratio_to_passthrough,p50_ms,p99_ms,p999_ms,rss_mb,heap_mb";
  public static final String CSV_FILE = "bench-results.csv";
  public static final String MARKDOWN_FILE = "bench-results.md";
  public static final String PLOT_FILE = "bench-results.png";

  public BenchReport {
    runs = List.copyOf(runs);
    latencies = List.copyOf(latencies);
  }

  /** Throughput relative to passthrough at the same thread count, when passthrough ran. */
  public Optional<Double> ratioToPassthrough(RunResult run) {
    return runs.stream().filter(r -> r.mode() == BenchMode.PASSTHROUGH && r.threads() == run.threads() && r.failure() == null)
        .findFirst().map(p -> run.recordsPerSecond() / p.recordsPerSecond());
  }

  /** Whether every run gave exactly one prediction per input and none failed. */
  public boolean allRunsComplete() {
    return runs.stream().allMatch(RunResult::exactlyOnePredictionPerInput)
        && latencies.stream().allMatch(l -> l.failure() == null);
  }

  /**
   * RSS(mode, most threads) − RSS(mode, fewest threads) − the same for passthrough: memory the
   * mode's model costs per extra thread, with what Kafka Streams' threads cost taken out.
   */
  public Optional<Double> modelMemoryGrowthMb(BenchMode mode) {
    int few = settings.threads().stream().min(Integer::compare).orElseThrow();
    int many = settings.threads().stream().max(Integer::compare).orElseThrow();
    if (few == many) {
      return Optional.empty();
    }
    Optional<Double> growth = rssGrowth(mode, few, many);
    Optional<Double> baseline = rssGrowth(BenchMode.PASSTHROUGH, few, many);
    return growth.flatMap(g -> baseline.map(b -> g - b));
  }

  private Optional<Double> rssGrowth(BenchMode mode, int few, int many) {
    Optional<RunResult> a = run(mode, few);
    Optional<RunResult> b = run(mode, many);
    return a.flatMap(x -> b.map(y -> y.rssMb() - x.rssMb()));
  }

  private Optional<RunResult> run(BenchMode mode, int threads) {
    return runs.stream().filter(r -> r.mode() == mode && r.threads() == threads && r.failure() == null).findFirst();
  }

  public String csv() {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (RunResult r : runs) {
      csv.append(String.join(",", r.mode().label(), Integer.toString(r.threads()), Long.toString(r.records()),
          number(r.recordsPerSecond(), 0), ratioToPassthrough(r).map(x -> number(x, 3)).orElse(""), number(r.p50Ms(), 1),
          number(r.p99Ms(), 1), number(r.p999Ms(), 1), number(r.rssMb(), 0), number(r.heapMb(), 0))).append('\n');
    }
    return csv.toString();
  }

  public String markdown(long modelWeightBytes) {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(machine).append('\n');
    md.append(String.format(Locale.ROOT, "Run: %s, %.0f min, %s, model `%s` (%.1f MB of variables), backlog %,d records "
            + "(session-per-record: %,d), %d partitions per topic, worker heap %s, latency: paced at %.0f%% of each run's backlog rate for %.0f s after %.0f s of settling.%n%n",
        Instant.ofEpochMilli(startedMillis), (finishedMillis - startedMillis) / 60000.0, settings.processingGuarantee(),
        settings.modelPath(), modelWeightBytes / 1048576.0, settings.records(), settings.boundedRecords(), settings.partitions(),
        settings.workerHeap(), settings.latencyRateShare() * 100, settings.latencySeconds(), BenchRunner.SETTLE_SECONDS));
    md.append("| mode | threads | records | records/s | × passthrough | p50 ms | p99 ms | p999 ms | RSS MB | heap MB | CPU cores | one prediction per input |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (RunResult r : runs) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.mode(), r.threads(),
          r.records(), r.failure() != null ? "failed" : String.format(Locale.ROOT, "%,.0f", r.recordsPerSecond()),
          ratioToPassthrough(r).map(x -> number(x, 2)).orElse("–"), number(r.p50Ms(), 0), number(r.p99Ms(), 0),
          number(r.p999Ms(), 0), number(r.rssMb(), 0), number(r.heapMb(), 0), number(r.cpuCores(), 2),
          r.exactlyOnePredictionPerInput() ? "yes" : "NO (" + (r.failure() != null ? r.failure() : r.distinctPredictions() + "/"
              + r.expectedPredictions() + ", " + r.duplicates() + " twice") + ")"));
    }
    List<String> growth = new ArrayList<>();
    for (BenchMode mode : settings.modes()) {
      if (mode != BenchMode.PASSTHROUGH) {
        modelMemoryGrowthMb(mode).ifPresent(g -> growth.add(String.format(Locale.ROOT, "| %s | %.0f | %s |", mode, g,
            modelWeightBytes >= 1048576 ? String.format(Locale.ROOT, "%.1f%%", 100 * g * 1048576.0 / modelWeightBytes) : "–")));
      }
    }
    if (!growth.isEmpty()) {
      int few = settings.threads().stream().min(Integer::compare).orElseThrow();
      int many = settings.threads().stream().max(Integer::compare).orElseThrow();
      md.append(String.format(Locale.ROOT, "%nModel-attributable memory growth from %d to %d threads: [RSS(mode, %d) − RSS(mode, %d)] − "
          + "[the same for passthrough].%n%n", few, many, many, few));
      md.append("| mode | growth MB | of the model's variables |\n|---|---:|---:|\n");
      growth.forEach(g -> md.append(g).append('\n'));
    }
    if (!latencies.isEmpty()) {
      md.append("\nLatency right after start-up (fresh topics, paced publishing from the moment Kafka Streams is RUNNING):\n\n");
      md.append("| run | guarantee | threads | records/s | records | p50 ms | p99 ms | p999 ms | p99 first 1,000 | steady p99 (after 5 s) | ratio |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (LatencyResult l : latencies) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %,d | %s | %s | %s | %s | %s | %s |%n", l.label(), l.guarantee(),
            l.threads(), l.ratePerSecond(), l.samples(), number(l.p50Ms(), 0), number(l.p99Ms(), 0), number(l.p999Ms(), 0),
            number(l.first1000P99Ms(), 0), number(l.steadyP99Ms(), 0), number(l.first1000P99Ms() / l.steadyP99Ms(), 2))
            + (l.failure() == null ? "" : "\nFAILED: " + l.failure() + "\n"));
      }
    }
    return md.toString();
  }

  /** Writes the CSV, the Markdown report and the plot into the settings' output directory; returns their paths. */
  public List<Path> write() throws IOException {
    Path dir = settings.outputDirectory();
    Files.createDirectories(dir);
    Path csvFile = dir.resolve(CSV_FILE);
    Path mdFile = dir.resolve(MARKDOWN_FILE);
    Path pngFile = dir.resolve(PLOT_FILE);
    Files.writeString(csvFile, csv(), StandardCharsets.UTF_8);
    Files.writeString(mdFile, markdown(variablesBytes(settings.modelPath())), StandardCharsets.UTF_8);
    plot(pngFile);
    return List.of(csvFile, mdFile, pngFile);
  }

  /** Bytes of the newest version's variables: the weights every loaded copy holds. */
  static long variablesBytes(Path modelPath) {
    try (var versions = Files.list(modelPath)) {
      Optional<Path> newest = versions.filter(p -> p.getFileName().toString().matches("\\d+"))
          .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())));
      if (newest.isEmpty()) {
        return 0;
      }
      try (var files = Files.walk(newest.get().resolve("variables"))) {
        return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("variables.data"))
            .mapToLong(p -> p.toFile().length()).sum();
      }
    } catch (IOException e) {
      return 0;
    }
  }

  private void plot(Path file) throws IOException {
    List<PlotPoint> points = runs.stream().filter(r -> r.failure() == null)
        .map(r -> new PlotPoint(r.mode(), r.threads(), r.recordsPerSecond(), r.rssMb())).toList();
    plot(points, settings.modes(), settings.processingGuarantee(), file);
  }

  /** One mode at one thread count, as the plot needs it. */
  public record PlotPoint(BenchMode mode, int threads, double recordsPerSecond, double rssMb) {}

  /** Redraws the plot of a finished run from its CSV (e.g. after changing the plot, without running the bench again). */
  public static void replot(Path csvFile, String title, Path pngFile) throws IOException {
    List<PlotPoint> points = Files.readAllLines(csvFile).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1))
        .filter(f -> !f[3].isEmpty())
        .map(f -> new PlotPoint(BenchMode.of(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[3]), Double.parseDouble(f[8]))).toList();
    List<BenchMode> modes = points.stream().map(PlotPoint::mode).distinct().toList();
    plot(points, modes, title, pngFile);
  }

  private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
      new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd), new java.awt.Color(0x8c564b)};

  private static void plot(List<PlotPoint> points, List<BenchMode> modes, String guarantee, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection throughput = new XYSeriesCollection();
    XYSeriesCollection rss = new XYSeriesCollection();
    for (BenchMode mode : modes) {
      XYSeries t = new XYSeries(mode.label());
      XYSeries m = new XYSeries(mode.label());
      points.stream().filter(p -> p.mode() == mode).forEach(p -> {
        t.add(p.threads(), p.recordsPerSecond());
        m.add(p.threads(), p.rssMb());
      });
      throughput.addSeries(t);
      rss.addSeries(m);
    }
    NumberAxis threads = new NumberAxis("stream threads");
    threads.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(threads);
    // Log scale: session-per-record's tens of records/s and passthrough's ~100,000 on one axis.
    org.jfree.chart.axis.LogAxis records = new org.jfree.chart.axis.LogAxis("records/s (log scale)");
    records.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis memory = new NumberAxis("worker RSS, MB (1 GB of it is the pre-touched heap)");
    memory.setAutoRangeIncludesZero(false);
    plot.add(new XYPlot(throughput, null, records, renderer(modes.size(), true)), 1);
    plot.add(new XYPlot(rss, null, memory, renderer(modes.size(), false)), 1);
    plot.setGap(12);
    JFreeChart chart = new JFreeChart("StreamScore bench: throughput and RSS by stream threads (" + guarantee + ")",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 700);
  }

  /** Same colour per mode in both plots; only the first plot's series go in the legend. */
  private static XYLineAndShapeRenderer renderer(int series, boolean inLegend) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setDefaultStroke(new BasicStroke(2f));
    renderer.setAutoPopulateSeriesStroke(false);
    for (int i = 0; i < series; i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesVisibleInLegend(i, inLegend);
    }
    return renderer;
  }

  private static String number(double value, int decimals) {
    return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

}
