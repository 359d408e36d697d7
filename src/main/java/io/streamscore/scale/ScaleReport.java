package io.streamscore.scale;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The scale benchmark's results: a table per group protocol (printed and in scale-results.md),
 * p99 per second of the whole run (scale-timeline.csv) and its plot with the events marked
 * (scale-timeline.png).
 */
public final class ScaleReport {
  public static final String MARKDOWN_FILE = "scale-results.md";
  public static final String CSV_FILE = "scale-timeline.csv";
  public static final String PLOT_FILE = "scale-timeline.png";
  static final String STEADY = "steady";

  private final List<ScaleBench.ProtocolRun> runs;
  private final String header;

  public ScaleReport(List<ScaleBench.ProtocolRun> runs, String header) {
    this.runs = List.copyOf(runs);
    this.header = header;
  }

  /** Whether every run lost nothing, scored nothing twice and saw no problem. */
  public boolean clean() {
    return runs.stream().allMatch(r -> r.lost() == 0 && r.twice() == 0 && r.problems().isEmpty() && r.publishFailures() == 0);
  }

  /** The whole report as Markdown. */
  public String markdown() {
    StringBuilder text = new StringBuilder(header).append("\n\n");
    for (ScaleBench.ProtocolRun run : runs) {
      text.append("### group.protocol=").append(run.protocol().configValue()).append("\n\n");
      run.uncapped().ifPresent(why -> text.append("Pods ran without CPU and memory caps: ").append(why).append("\n\n"));
      text.append("| phase | length s | predictions | p50 ms | p99 ms | p99 / steady | max ms | longest partition gap ms | partitions > 1 s |"
          + " kept owner: partitions / longest gap ms / > 1 s | new pod: start to join / RUNNING / first scored s | SIGTERM to exit s |"
          + " rebalances | rebalance-latency-max ms | time-between-poll-max ms | tasks revoked / assigned max ms |"
          + " first 1,000: p99 ms (× steady) | new pod's first 1,000: p99 ms (× steady) |\n");
      text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---|---|---|\n");
      long steadyP99 = -1;
      for (int i = 0; i < run.phases().size(); i++) {
        if (run.phases().get(i).name().equals(STEADY)) {
          steadyP99 = run.measured().get(i).p99Millis();
        }
      }
      for (int i = 0; i < run.phases().size(); i++) {
        ScalePhase phase = run.phases().get(i);
        ScalePhase.Measured m = run.measured().get(i);
        Map<String, Double> r = m.rebalance();
        List<String> starts = new ArrayList<>();
        for (int j = 0; j < m.startToReadyMillis().size(); j++) {
          Pod pod = phase.newPods().get(j);
          starts.add(seconds(pod.joinedMillis < 0 ? -1 : pod.joinedMillis - pod.startedMillis) + " / " + seconds(m.startToReadyMillis().get(j))
              + " / " + seconds(m.startToFirstScoredMillis().get(j)));
        }
        long steady = steadyP99;
        text.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d | %d | %s | %d | %d | %d | %d / %d / %d | %s | %s | %.0f | %s | %s | %s / %s | %s | %s |%n",
            phase.name(), (phase.endMillis() - phase.startMillis()) / 1000.0, m.predictions(), m.p50Millis(), m.p99Millis(),
            steadyP99 > 0 && m.p99Millis() >= 0 ? String.format(Locale.ROOT, "%.1f", m.p99Millis() / (double) steadyP99) : "–", m.maxMillis(),
            m.longestGapMillis(), m.partitionsOverThreshold(), m.keptOwner(), m.longestGapKeptMillis(), m.keptOverThreshold(),
            starts.isEmpty() ? "" : String.join(", ", starts),
            m.stopMillis().isEmpty() ? "" : String.join(", ", m.stopMillis().stream().map(ScaleReport::seconds).toList()),
            r.getOrDefault(PodMetrics.REBALANCE_TOTAL, 0.0), metric(r, PodMetrics.REBALANCE_LATENCY_MAX),
            metric(r, PodMetrics.TIME_BETWEEN_POLL_MAX), metric(r, PodMetrics.TASKS_REVOKED_LATENCY_MAX),
            metric(r, PodMetrics.TASKS_ASSIGNED_LATENCY_MAX), timesSteady(m.firstP99Millis(), steady),
            String.join(", ", m.newPodFirstP99Millis().stream().map(v -> timesSteady(v, steady)).toList())));
      }
      text.append(startups(run));
      text.append(String.format(Locale.ROOT, "%nWhole run: %d inputs published, %d lost, %d scored twice, %d dead-lettered%s.%n",
          run.published(), run.lost(), run.twice(), run.deadLetters(),
          run.publishFailures() > 0 ? ", " + run.publishFailures() + " could not be published" : ""));
      for (String problem : run.problems()) {
        text.append("\n- problem: ").append(problem);
      }
      text.append("\n\n");
    }
    return text.toString();
  }

  /**
   * Where the start-up of each pod started during the script went: seconds from its start to the
   * beginning of each stage its log shows, and to RUNNING.
   */
  static String startups(ScaleBench.ProtocolRun run) {
    List<String> columns = new ArrayList<>();
    for (io.streamscore.app.StartupStage stage : io.streamscore.app.StartupStage.values()) {
      columns.add(stage.description());
    }
    columns.add("RUNNING");
    StringBuilder text = new StringBuilder("\nStart-up of each pod started during the script, seconds from its start to the beginning of each"
        + " stage (its log's `Start-up:` lines) and to RUNNING:\n\n| pod | " + String.join(" | ", columns) + " |\n|---|"
        + "---:|".repeat(columns.size()) + "\n");
    for (ScalePhase phase : run.phases()) {
      for (Pod pod : phase.newPods()) {
        Map<String, Long> stages = pod.startupStages();
        text.append("| ").append(pod.name);
        for (String column : columns) {
          Long at = stages.get(column);
          text.append(" | ").append(at == null ? "–" : seconds(at - pod.startedMillis));
        }
        text.append(" |\n");
      }
    }
    return text.toString();
  }

  /** "1,234 (5.6)": a p99 and its ratio to the steady p99; "–" when there were too few predictions. */
  static String timesSteady(long p99Millis, long steadyP99Millis) {
    if (p99Millis < 0) {
      return "–";
    }
    return steadyP99Millis > 0 ? String.format(Locale.ROOT, "%,d (%.1f)", p99Millis, p99Millis / (double) steadyP99Millis)
        : String.format(Locale.ROOT, "%,d", p99Millis);
  }

  private static String seconds(long millis) {
    return millis < 0 ? "never" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  private static String metric(Map<String, Double> values, String name) {
    Double v = values.get(name);
    return v == null ? "–" : String.format(Locale.ROOT, "%.0f", v);
  }

  /** p99 end-to-end per second of each run, from its publishing start; events in their second. */
  public String timelineCsv() {
    StringBuilder csv = new StringBuilder("protocol,second,predictions,p99_ms,event\n");
    for (ScaleBench.ProtocolRun run : runs) {
      List<long[]> seconds = perSecond(run);
      for (int s = 0; s < seconds.size(); s++) {
        long[] latencies = seconds.get(s);
        String event = String.join(" + ", eventsAt(run, s));
        csv.append(run.protocol().configValue()).append(',').append(s).append(',').append(latencies.length).append(',')
            .append(ScalePhase.percentile(latencies, 0.99)).append(',').append(event.isEmpty() ? "" : '"' + event + '"').append('\n');
      }
    }
    return csv.toString();
  }

  private static List<long[]> perSecond(ScaleBench.ProtocolRun run) {
    List<List<Long>> buckets = new ArrayList<>();
    for (PredictionArrivals.Arrival a : run.arrivals()) {
      int s = (int) ((a.arrivalMillis() - run.publishStartMillis()) / 1000);
      if (s < 0) {
        continue;
      }
      while (buckets.size() <= s) {
        buckets.add(new ArrayList<>());
      }
      buckets.get(s).add(a.latencyMillis());
    }
    return buckets.stream().map(b -> b.stream().mapToLong(Long::longValue).sorted().toArray()).toList();
  }

  private static List<String> eventsAt(ScaleBench.ProtocolRun run, int second) {
    List<String> events = new ArrayList<>();
    for (ScalePhase phase : run.phases()) {
      for (Pod pod : phase.newPods()) {
        if ((pod.startedMillis - run.publishStartMillis()) / 1000 == second) {
          events.add("start " + pod.name);
        }
      }
      for (Pod pod : phase.stoppedPods()) {
        if ((pod.stopRequestedMillis - run.publishStartMillis()) / 1000 == second) {
          events.add((pod.killed ? "SIGKILL " : "SIGTERM ") + pod.name);
        }
      }
    }
    return events;
  }

  /** Writes the Markdown, the CSV and the plot into {@code dir}; returns their paths. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path md = Files.writeString(dir.resolve(MARKDOWN_FILE), markdown());
    Path csv = Files.writeString(dir.resolve(CSV_FILE), timelineCsv());
    Path png = dir.resolve(PLOT_FILE);
    plot(png);
    return List.of(md, csv, png);
  }

  private void plot(Path file) throws IOException {
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("seconds since publishing began"));
    for (ScaleBench.ProtocolRun run : runs) {
      XYSeries series = new XYSeries("p99 end-to-end (ms), group.protocol=" + run.protocol().configValue());
      List<long[]> seconds = perSecond(run);
      for (int s = 0; s < seconds.size(); s++) {
        long p99 = ScalePhase.percentile(seconds.get(s), 0.99);
        if (p99 > 0) {
          series.add(s, p99);
        }
      }
      LogarithmicAxis axis = new LogarithmicAxis("p99 ms, " + run.protocol().configValue());
      axis.setAllowNegativesFlag(false);
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
      XYPlot plot = new XYPlot(new XYSeriesCollection(series), null, axis, renderer);
      for (ScalePhase phase : run.phases()) {
        for (Pod pod : phase.newPods()) {
          mark(plot, (pod.startedMillis - run.publishStartMillis()) / 1000.0, "+" + pod.name, new Color(0, 120, 0));
        }
        for (Pod pod : phase.stoppedPods()) {
          mark(plot, (pod.stopRequestedMillis - run.publishStartMillis()) / 1000.0, (pod.killed ? "kill " : "term ") + pod.name,
              pod.killed ? Color.RED : new Color(200, 100, 0));
        }
      }
      combined.add(plot);
    }
    JFreeChart chart = new JFreeChart("StreamScore scale benchmark: p99 end-to-end per second, events marked", combined);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 300 + 300 * runs.size());
  }

  private static void mark(XYPlot plot, double x, String label, Color color) {
    ValueMarker marker = new ValueMarker(x, color, new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {4f, 3f}, 0f));
    marker.setLabel(label);
    marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    marker.setLabelPaint(color);
    plot.addDomainMarker(marker);
  }
}
