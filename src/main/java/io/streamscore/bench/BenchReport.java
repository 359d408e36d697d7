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
 * A finished benchmark and its three renderings: a CSV (one row per run: mode, thread count and
 * repetition), a Markdown report (every run, then each mode's median and range over the
 * repetitions, the comparison with passthrough, where a record's CPU goes, memory growth, the
 * machine), and a PNG plot of median throughput and RSS against stream threads.
 *
 * <p>Only runs that are {@linkplain RunResult#figure() figures} enter medians, ranges and ratios.
 */
public record BenchReport(BenchSettings settings, List<RunResult> runs, int sources, Machine machine,
    long startedMillis, long finishedMillis) {

  public static final String CSV_HEADER = "mode,threads,records,records_per_s,ratio_to_passthrough,p50_ms,p99_ms,p999_ms,rss_mb,heap_mb,"
      + "repetition,position,load_start,load_end,foreign_cores,figure,cpu_us_stream,cpu_us_tensorflow,cpu_us_gc,cpu_us_jit,cpu_us_rest,"
      + "cpu_us_total,rows_per_call_mean,rows_per_call_p50,model_cpu_us_per_row,records_per_s_whole_backlog";
  public static final String CSV_FILE = "bench-results.csv";
  public static final String MARKDOWN_FILE = "bench-results.md";
  public static final String PLOT_FILE = "bench-results.png";

  public BenchReport {
    runs = List.copyOf(runs);
  }

  /** A median with the range it came from. */
  public record Spread(double median, double min, double max, int n) {
    static Optional<Spread> of(List<Double> values) {
      List<Double> v = values.stream().filter(x -> !Double.isNaN(x)).sorted().toList();
      if (v.isEmpty()) {
        return Optional.empty();
      }
      int n = v.size();
      double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
      return Optional.of(new Spread(median, v.get(0), v.get(n - 1), n));
    }

    String format(int decimals) {
      String f = "%,." + decimals + "f";
      return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
    }
  }

  /** Throughput relative to passthrough at the same thread count in the same repetition, when passthrough ran. */
  public Optional<Double> ratioToPassthrough(RunResult run) {
    return runs.stream().filter(r -> r.mode() == BenchMode.PASSTHROUGH && r.threads() == run.threads() && r.figure()
            && r.conditions().repetition() == run.conditions().repetition())
        .findFirst().map(p -> run.recordsPerSecond() / p.recordsPerSecond());
  }

  /** {@code mode}'s throughput over passthrough's, one ratio per repetition: median and range. */
  public Optional<Spread> ratioSpread(BenchMode mode, int threads) {
    return Spread.of(figures(mode, threads).stream().map(r -> ratioToPassthrough(r).orElse(Double.NaN)).toList());
  }

  /** Records/s of {@code mode} over its repetitions: median and range. */
  public Optional<Spread> rateSpread(BenchMode mode, int threads) {
    return Spread.of(figures(mode, threads).stream().map(RunResult::recordsPerSecond).toList());
  }

  private List<RunResult> figures(BenchMode mode, int threads) {
    return runs.stream().filter(r -> r.mode() == mode && r.threads() == threads && r.figure()).toList();
  }

  private Optional<Double> median(BenchMode mode, int threads, java.util.function.ToDoubleFunction<RunResult> value) {
    return Spread.of(figures(mode, threads).stream().map(value::applyAsDouble).toList()).map(Spread::median);
  }

  /** Whether every run gave exactly one prediction per input and none failed. */
  public boolean allRunsComplete() {
    return runs.stream().allMatch(RunResult::exactlyOnePredictionPerInput);
  }

  /**
   * RSS(mode, most threads) − RSS(mode, fewest threads) − the same for passthrough, medians over
   * repetitions: memory the mode's model costs per extra thread, with what Kafka Streams' threads
   * cost taken out.
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
    Optional<Double> a = median(mode, few, RunResult::rssMb);
    Optional<Double> b = median(mode, many, RunResult::rssMb);
    return a.flatMap(x -> b.map(y -> y - x));
  }

  /** The share of passthrough's throughput the default mode must keep: the goal its verdict is judged against. */
  public static final double GOAL = 0.8;

  /** The default's verdict at {@code threads}: its per-repetition ratios to passthrough, with a bootstrap interval. */
  public RatioVerdict verdict(int threads) {
    return RatioVerdict.of(figures(BenchMode.DEFAULT, threads).stream().map(r -> ratioToPassthrough(r).orElse(Double.NaN)).toList(), GOAL);
  }

  /**
   * One line per thread count: the default's throughput over passthrough's as the median of the
   * per-repetition ratios with its 90 % interval and verdict, and each mode's best rate. The line
   * at the machine's number of cores, the thread count StreamScore ships, is the verdict; the
   * others are context (one thread) or stress (more threads than cores).
   */
  public List<String> comparisonLines() {
    List<String> lines = new ArrayList<>();
    if (!settings.modes().contains(BenchMode.DEFAULT) || !settings.modes().contains(BenchMode.PASSTHROUGH)) {
      return lines;
    }
    for (int threads : settings.threads()) {
      Optional<Spread> best = Spread.of(figures(BenchMode.DEFAULT, threads).stream().map(RunResult::recordsPerSecond).toList());
      Optional<Spread> bestPass = Spread.of(figures(BenchMode.PASSTHROUGH, threads).stream().map(RunResult::recordsPerSecond).toList());
      String role = threads == machine.cores() ? " (the number of cores, as shipped: the verdict)"
          : threads > machine.cores() ? " (more threads than cores: a stress row)" : "";
      lines.add(String.format(Locale.ROOT, "default / passthrough at %d thread%s%s: %s; best rates %s / %s = %s", threads,
          threads == 1 ? "" : "s", role, verdict(threads).describe(GOAL),
          best.map(b -> String.format(Locale.ROOT, "%,.0f", b.max())).orElse("–"),
          bestPass.map(b -> String.format(Locale.ROOT, "%,.0f", b.max())).orElse("–"),
          best.flatMap(b -> bestPass.map(p -> String.format(Locale.ROOT, "%.2f", b.max() / p.max()))).orElse("–")));
    }
    return lines;
  }

  /** The share of one process per source's summed throughput one StreamScore must reach: all of it. */
  public static final double STATUS_QUO_GOAL = 1.0;

  /** One StreamScore's throughput over the processes' (one per source), one ratio per repetition, judged against {@link #STATUS_QUO_GOAL}. */
  public RatioVerdict statusQuoVerdict(int threads) {
    List<Double> ratios = figures(BenchMode.DEFAULT, threads).stream().map(d -> figures(BenchMode.PER_SOURCE_PROCESSES, threads).stream()
        .filter(p -> p.conditions().repetition() == d.conditions().repetition()).findFirst()
        .map(p -> d.recordsPerSecond() / p.recordsPerSecond()).orElse(Double.NaN)).toList();
    return RatioVerdict.of(ratios, STATUS_QUO_GOAL);
  }

  /**
   * One line per thread count when both the default and per-source-processes ran: one StreamScore
   * against the status quo in throughput (with its verdict), RSS and CPU a record. The RSS goal
   * is one StreamScore's RSS at most the processes' summed RSS over N plus one JVM's baseline,
   * taking one process's RSS less its model's variables ({@code modelWeightBytes}) as that baseline.
   */
  public List<String> statusQuoLines(long modelWeightBytes) {
    List<String> lines = new ArrayList<>();
    if (!settings.modes().contains(BenchMode.DEFAULT) || !settings.modes().contains(BenchMode.PER_SOURCE_PROCESSES)) {
      return lines;
    }
    for (int threads : settings.threads()) {
      Optional<Double> one = median(BenchMode.DEFAULT, threads, RunResult::rssMb);
      Optional<Double> summed = median(BenchMode.PER_SOURCE_PROCESSES, threads, RunResult::rssMb);
      String rss = "RSS –";
      if (one.isPresent() && summed.isPresent()) {
        double perProcess = summed.get() / sources;
        double baseline = perProcess - modelWeightBytes / 1048576.0;
        double bound = perProcess + baseline;
        rss = String.format(Locale.ROOT, "RSS %,.0f MB against %,.0f MB summed (%.2f ×); goal ≤ %,.0f MB (%,.0f a process + a JVM's "
            + "baseline of %,.0f, a process less its model's %,.0f MB): %s", one.get(), summed.get(), one.get() / summed.get(), bound,
            perProcess, baseline, modelWeightBytes / 1048576.0, one.get() <= bound ? "met" : "missed");
      }
      lines.add(String.format(Locale.ROOT, "one StreamScore / %d processes (one per source) at %d stream thread%s in all: throughput %s; %s; "
              + "CPU µs a record %s against %s", sources, threads, threads == 1 ? "" : "s", statusQuoVerdict(threads).describe(STATUS_QUO_GOAL),
          rss, number(median(BenchMode.DEFAULT, threads, r -> r.cpu().total()).orElse(Double.NaN), 1),
          number(median(BenchMode.PER_SOURCE_PROCESSES, threads, r -> r.cpu().total()).orElse(Double.NaN), 1)));
    }
    return lines;
  }

  public String csv() {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (RunResult r : runs) {
      RunResult.Conditions c = r.conditions();
      RunResult.CpuPerRecord u = r.cpu();
      csv.append(String.join(",", r.mode().label(), Integer.toString(r.threads()), Long.toString(r.records()),
          number(r.recordsPerSecond(), 0), ratioToPassthrough(r).map(x -> number(x, 3)).orElse(""), number(r.p50Ms(), 1),
          number(r.p99Ms(), 1), number(r.p999Ms(), 1), number(r.rssMb(), 0), number(r.heapMb(), 0),
          Integer.toString(c.repetition()), Integer.toString(c.position()), number(c.loadStart(), 2), number(c.loadEnd(), 2),
          number(c.foreignCores(), 2), Boolean.toString(r.figure()), number(u.stream(), 2), number(u.tensorflow(), 2), number(u.gc(), 2),
          number(u.jit(), 2), number(u.rest(), 2), number(u.total(), 2), number(r.batches().meanRowsPerCall(), 1),
          Integer.toString(r.batches().p50RowsPerCall()), number(r.batches().modelCpuMicrosPerRow(), 3),
          number(r.wholeRecordsPerSecond(), 0))).append('\n');
    }
    return csv.toString();
  }

  public String markdown(long modelWeightBytes) {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(machine).append('\n');
    md.append(String.format(Locale.ROOT, "Run: %s, %.0f min, %s, model `%s` (%.1f MB of variables), %,d measured records a run "
            + "(session-per-record: %,d), %d partitions per topic, worker heap %s, %d repetition(s), modes reversed every other one%s; "
            + "rate and CPU measured after each fresh worker's first %,d records (its JIT warm-up); "
            + "latency: paced at %.0f%% of each run's backlog rate for %.0f s after %.0f s of settling.%n%n",
        Instant.ofEpochMilli(startedMillis), (finishedMillis - startedMillis) / 60000.0, settings.processingGuarantee(),
        settings.modelPath(), modelWeightBytes / 1048576.0, settings.records(), settings.boundedRecords(), settings.partitions(),
        settings.workerHeap(), settings.repetitions(), settings.warmupLoad() ? ", after a discarded warm-up load" : "",
        settings.jitWarmupRecords(),
        settings.latencyRateShare() * 100, settings.latencySeconds(), BenchRunner.SETTLE_SECONDS));
    comparisonLines().forEach(l -> md.append("- ").append(l).append('\n'));
    statusQuoLines(modelWeightBytes).forEach(l -> md.append("- ").append(l).append('\n'));
    md.append("\nEach mode over its repetitions (median, and range in brackets); × passthrough is the median of the ratios within "
        + "each repetition. CPU is the worker's, in µs a backlog record, by kind of thread; rows a call are the topology's model calls; "
        + "the model alone is its own CPU a row at that batch size, from one thread of the same worker.\n\n");
    md.append("| mode | threads | records/s | × passthrough | CPU µs/record: stream | TensorFlow | GC | JIT | rest | total "
        + "| extra over passthrough | rows/call mean | p50 | model alone µs/row | extra ÷ model |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int threads : settings.threads()) {
      for (BenchMode mode : settings.modes()) {
        Optional<Spread> rate = rateSpread(mode, threads);
        if (rate.isEmpty()) {
          continue;
        }
        double total = median(mode, threads, r -> r.cpu().total()).orElse(Double.NaN);
        double extra = total - median(BenchMode.PASSTHROUGH, threads, r -> r.cpu().total()).orElse(Double.NaN);
        double model = median(mode, threads, r -> r.batches().modelCpuMicrosPerRow()).orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", mode, threads,
            rate.get().format(0), ratioSpread(mode, threads).map(r -> r.format(2)).orElse("–"),
            number(median(mode, threads, r -> r.cpu().stream()).orElse(Double.NaN), 1),
            number(median(mode, threads, r -> r.cpu().tensorflow()).orElse(Double.NaN), 1),
            number(median(mode, threads, r -> r.cpu().gc()).orElse(Double.NaN), 1),
            number(median(mode, threads, r -> r.cpu().jit()).orElse(Double.NaN), 1),
            number(median(mode, threads, r -> r.cpu().rest()).orElse(Double.NaN), 1), number(total, 1),
            mode == BenchMode.PASSTHROUGH ? "–" : number(extra, 1),
            number(median(mode, threads, r -> r.batches().meanRowsPerCall()).orElse(Double.NaN), 1),
            number(median(mode, threads, r -> r.batches().p50RowsPerCall()).orElse(Double.NaN), 0),
            number(model, 2), mode == BenchMode.PASSTHROUGH || Double.isNaN(model) ? "–" : number(extra / model, 2)));
      }
    }
    md.append("\nEvery run, in the order it ran. Load is the one-minute load average at the start and end of the backlog phase (it "
        + "includes the benchmark's own broker, worker and reader); other work is the cores that processes other than those used "
        + "meanwhile. A run with other work above " + RunResult.FOREIGN_CORES_LIMIT + " cores is not a figure.\n\n");
    md.append("| repetition | position | mode | threads | records | records/s | whole backlog | × passthrough | p50 ms | p99 ms | p999 ms | RSS MB | heap MB "
        + "| CPU cores | load | other work | figure | one prediction per input |\n");
    md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|\n");
    for (RunResult r : runs) {
      RunResult.Conditions c = r.conditions();
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s → %s | %s | %s | %s |%n",
          c.repetition(), c.position(), r.mode(), r.threads(),
          r.records(), r.failure() != null ? "failed" : String.format(Locale.ROOT, "%,.0f", r.recordsPerSecond()),
          Double.isNaN(r.wholeRecordsPerSecond()) ? "" : String.format(Locale.ROOT, "%,.0f", r.wholeRecordsPerSecond()),
          ratioToPassthrough(r).map(x -> number(x, 2)).orElse("–"), number(r.p50Ms(), 0), number(r.p99Ms(), 0),
          number(r.p999Ms(), 0), number(r.rssMb(), 0), number(r.heapMb(), 0), number(r.cpuCores(), 2), number(c.loadStart(), 2),
          number(c.loadEnd(), 2), number(c.foreignCores(), 2), r.figure() ? "yes" : "no",
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
          + "[the same for passthrough], medians over repetitions.%n%n", few, many, many, few));
      md.append("| mode | growth MB | of the model's variables |\n|---|---:|---:|\n");
      growth.forEach(g -> md.append(g).append('\n'));
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
  public static long variablesBytes(Path modelPath) {
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
    List<PlotPoint> points = new ArrayList<>();
    for (BenchMode mode : settings.modes()) {
      for (int threads : settings.threads()) {
        Optional<Double> rate = median(mode, threads, RunResult::recordsPerSecond);
        Optional<Double> rss = median(mode, threads, RunResult::rssMb);
        rate.ifPresent(r -> points.add(new PlotPoint(mode, threads, r, rss.orElse(Double.NaN))));
      }
    }
    plot(points, settings.modes(), settings.processingGuarantee(), file);
  }

  /** One mode at one thread count, as the plot needs it. */
  public record PlotPoint(BenchMode mode, int threads, double recordsPerSecond, double rssMb) {}

  /** Redraws the plot of a finished run from its CSV (e.g. after changing the plot, without running the bench again). */
  public static void replot(Path csvFile, String title, Path pngFile) throws IOException {
    // Medians of the figure runs per mode and thread count, as the report plots them.
    java.util.Map<String, List<double[]>> byPoint = new java.util.LinkedHashMap<>();
    Files.readAllLines(csvFile).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1))
        .filter(f -> !f[3].isEmpty() && (f.length < 16 || f[15].equals("true")))
        .forEach(f -> byPoint.computeIfAbsent(f[0] + "," + f[1], k -> new ArrayList<>())
            .add(new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[8])}));
    List<PlotPoint> points = new ArrayList<>();
    byPoint.forEach((key, values) -> {
      String[] k = key.split(",");
      points.add(new PlotPoint(BenchMode.of(k[0]), Integer.parseInt(k[1]),
          Spread.of(values.stream().map(v -> v[0]).toList()).orElseThrow().median(), Spread.of(values.stream().map(v -> v[1]).toList())
              .map(Spread::median).orElse(Double.NaN)));
    });
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
    // Log scale only when the rates span orders of magnitude (session-per-record's tens of records/s
    // beside passthrough's ~100,000); otherwise a linear axis from 0, so a gap looks its size.
    double most = points.stream().mapToDouble(PlotPoint::recordsPerSecond).max().orElse(1);
    double least = points.stream().mapToDouble(PlotPoint::recordsPerSecond).min().orElse(1);
    org.jfree.chart.axis.ValueAxis records;
    if (most / Math.max(least, 1e-9) > 20) {
      org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis("records/s (log scale)");
      log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      records = log;
    } else {
      NumberAxis linear = new NumberAxis("records/s");
      linear.setAutoRangeIncludesZero(true);
      records = linear;
    }
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
