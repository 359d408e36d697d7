package io.streamscore.bench;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.VersionPolicy;
import io.streamscore.source.InputSource;
import io.streamscore.source.SchemaFiles;
import io.streamscore.source.SourceRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmarks of the model runtime alone: the demo fraud model ({@code models/fraud}) served by
 * a {@link ModelManager} exactly as {@code StreamScoreService} builds it from the bundled demo
 * configuration, fed with realistic feature rows. No Kafka is involved: the rows are synthetic demo
 * records of the three demo sources ({@link SyntheticRecords}, as {@code streamscore demo}
 * publishes them, 10% of the web ones written with the v1 schema), encoded, then decoded and
 * mapped through the configured {@link SourceRegistry}, interleaved terminal, web, mobile. A pool
 * of {@value #DISTINCT_ROWS} distinct rows is built once per trial; nothing is allocated for the
 * input on the measured path but what the runtime itself allocates.
 *
 * <p>The benchmarks:
 * <ul>
 *   <li>{@code sharedSessionBatch}: one thread scoring batches of {@code batch} rows (1, 8, 64,
 *       256) on the one shared, warmed session. The primary score is model calls per second; the
 *       secondary result {@code rows} is rows per second (= calls/s × batch), counted with
 *       {@link AuxCounters}. Shows the fixed cost per call against the cost per row.
 *   <li>{@code sharedSessionThreads}: calls of one row each on the shared session from several
 *       threads at once (4 by default; {@code -t} overrides), as the stream threads make them
 *       with {@code model.batch.max.rows=1}. The score is the calls (= rows) per
 *       second of all threads together: per-call overhead and contention on the session.
 * </ul>
 *
 * <p>The model is found as the service finds it: {@code model.path} of the demo configuration
 * ({@code models/fraud}, relative to the working directory, so run from the project directory), and
 * any {@code STREAMSCORE_*} environment variable overrides a key as for {@code streamscore run},
 * e.g. {@code STREAMSCORE_MODEL_INTRA_OP_THREADS}. The version poller is off (no file system polls
 * during the measurement), warm-up covers every batch size used here.
 *
 * <p>Run, from the project directory, after {@code mvn -B -q test-compile} and once
 * {@code mvn -B -q dependency:build-classpath -Dmdep.outputFile=/tmp/jmh.cp -Dmdep.includeScope=test}:
 * <pre>
 * export TF_CPP_MIN_LOG_LEVEL=1
 * CP=target/test-classes:target/classes:$(cat /tmp/jmh.cp)
 *
 * # everything, with the defaults annotated here (1 fork, 3 × 2 s warm-up, 5 × 2 s measurement)
 * java -cp $CP org.openjdk.jmh.Main ModelRuntimeBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 *
 * # a smoke run (seconds, numbers meaningless)
 * java -cp $CP org.openjdk.jmh.Main ModelRuntimeBenchmark -f 1 -wi 1 -w 1s -i 1 -r 1s
 *
 * # batch sizes only
 * java -cp $CP org.openjdk.jmh.Main 'ModelRuntimeBenchmark.sharedSessionBatch' -f 1 -wi 3 -w 2s -i 5 -r 2s
 *
 * # the thread benchmarks at 1, 2, 4 and 8 threads (JMH's -t takes one count, so this class's
 * # main() runs JMH once per count and prints one table at the end; -Dbench.threads changes the counts)
 * java -cp $CP -Dbench.threads=1,2,4,8 io.streamscore.bench.ModelRuntimeBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * # or, one count at a time:
 * java -cp $CP org.openjdk.jmh.Main 'ModelRuntimeBenchmark.sharedSessionThreads' -t 8 -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 * Use {@code -t} only with the thread benchmarks: it overrides the single thread of {@code
 * sharedSessionBatch} too.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelRuntimeBenchmark {
  /** Distinct rows in the pool the benchmarks cycle through. */
  static final int DISTINCT_ROWS = 4096;
  /** The seeds of the demo's own generators ({@code DemoCommand}: 1000 + source index). */
  private static final long SEED = 1000L;
  /** Share of web-checkout records written with the older v1 schema, as the demo publishes them. */
  private static final double WEB_V1_SHARE = 0.1;

  /** The shared, warmed model and the pool of demo rows; one per trial, shared by every thread. */
  @State(Scope.Benchmark)
  public static class SharedModel {
    ModelManager model;
    List<FeatureRow> rows;

    @Setup(Level.Trial)
    public void load() {
      StreamScoreConfig config = ConfigLoader.load(Optional.empty(), System.getenv(), Map.of());
      if (!Files.isDirectory(config.modelPath())) {
        throw new IllegalStateException("no model at " + config.modelPath().toAbsolutePath()
            + ": run the benchmark from the project directory, or set STREAMSCORE_MODEL_PATH");
      }
      model = ModelManager.start(options(config));
      try {
        rows = demoRows(config, model.model().signature(), DISTINCT_ROWS);
        List<ScoredRow> check = model.score(rows.subList(0, 3));
        if (check.size() != 3) {
          throw new IllegalStateException("3 rows scored into " + check.size() + " results");
        }
      } catch (RuntimeException e) {
        model.close();
        model = null;
        throw e;
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      if (model != null) {
        model.close();
        model = null;
      }
    }
  }

  /** One thread's batches of {@code batch} rows, cut from the pool. */
  @State(Scope.Thread)
  public static class Batches {
    @Param({"1", "8", "64", "256"})
    public int batch;

    private List<List<FeatureRow>> batches;
    private int next;

    @Setup(Level.Trial)
    public void cut(SharedModel shared, ThreadParams thread) {
      batches = batchesOf(shared.rows, batch, thread.getThreadIndex());
    }

    List<FeatureRow> next() {
      List<FeatureRow> b = batches.get(next);
      next = next + 1 == batches.size() ? 0 : next + 1;
      return b;
    }
  }

  /** One thread's one-row calls, each thread starting at a different place in the pool. */
  @State(Scope.Thread)
  public static class Singles {
    private List<List<FeatureRow>> singles;
    private int next;

    @Setup(Level.Trial)
    public void cut(SharedModel shared, ThreadParams thread) {
      singles = batchesOf(shared.rows, 1, thread.getThreadIndex());
    }

    List<FeatureRow> next() {
      List<FeatureRow> b = singles.get(next);
      next = next + 1 == singles.size() ? 0 : next + 1;
      return b;
    }
  }

  /** Rows scored, reported by JMH as a second throughput ({@code rows}, per second) beside calls. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class RowCounter {
    public long rows;

    @Setup(Level.Iteration)
    public void reset() {
      rows = 0;
    }
  }

  /** Batches of {@code size} rows of the single-threaded sweep; rows/s = the {@code rows} counter. */
  @Benchmark
  @Threads(1)
  public List<ScoredRow> sharedSessionBatch(SharedModel shared, Batches batches, RowCounter counter, Control control) {
    List<FeatureRow> batch = batches.next();
    List<ScoredRow> scored = shared.model.score(batch);
    if (measuring(control)) {
      counter.rows += batch.size();
    }
    return scored;
  }

  /** One row per call on the shared session from several threads; calls/s = rows/s. */
  @Benchmark
  @Threads(4)
  public List<ScoredRow> sharedSessionThreads(SharedModel shared, Singles singles) {
    return shared.model.score(singles.next());
  }

  /**
   * Whether the measured window is open. JMH resets {@link AuxCounters} before an iteration's
   * synchronisation phases, in which every thread keeps calling until all have started (and
   * again until all have stopped), but counts the primary score inside the window only: counted
   * outside it, the auxiliary counters of a multi-threaded run would overstate their rates.
   */
  private static boolean measuring(Control control) {
    return control.startMeasurement && !control.stopMeasurement;
  }

  /** The service's model options ({@code StreamScoreService.modelOptions}) for the benchmark. */
  static ModelOptions options(StreamScoreConfig config) {
    TreeSet<Integer> warmupSizes = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 64, 256));
    return new ModelOptions(config.modelPath(), config.modelName(), config.modelSignature(), config.modelTags(),
        true, List.copyOf(warmupSizes), config.warmupIterations(), config.intraOpThreads(), config.interOpThreads(),
        new VersionPolicy(config.modelVersion()), Duration.ZERO,
        signature -> io.streamscore.app.StreamScoreService.warmupRows(config, signature),
        config.modelCallTimeout());
  }

  /**
   * {@code count} rows of synthetic demo records, round robin over the configured sources, each
   * encoded as its producer would and decoded and mapped as StreamScore does.
   */
  static List<FeatureRow> demoRows(StreamScoreConfig config, ModelSignature signature, int count) {
    SourceRegistry registry = SourceRegistry.create(config.sources(), signature, config.maxRecordBytes());
    List<InputSource> sources = registry.sources();
    List<SyntheticRecords.Generator> generators = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition definition = sources.get(i).definition();
      String name = definition.name();
      generators.add(SyntheticRecords.forSchema(SchemaFiles.read("source." + name + ".schema", definition.schema()), SEED + i, WEB_V1_SHARE)
          .orElseThrow(() -> new IllegalStateException("source '" + name + "' does not use a demo schema; the benchmark needs the demo sources")));
    }
    List<FeatureRow> rows = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int s = n % sources.size();
      rows.add(registry.toFeatures(sources.get(s), generators.get(s).next().value()));
    }
    return List.copyOf(rows);
  }

  /**
   * Runs the thread benchmarks once per thread count of {@code -Dbench.threads} (default
   * 1,2,4,8) and prints one summary table. Takes JMH's usual options; without a benchmark pattern
   * it runs {@code sharedSessionThreads}.
   */
  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    List<Integer> counts = new ArrayList<>();
    for (String t : System.getProperty("bench.threads", "1,2,4,8").split(",")) {
      counts.add(Integer.parseInt(t.trim()));
    }
    List<String[]> table = new ArrayList<>();
    for (int threads : counts) {
      ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).threads(threads);
      if (cli.getIncludes().isEmpty()) {
        options.include(ModelRuntimeBenchmark.class.getName() + "\\.sharedSessionThreads$");
      }
      Collection<org.openjdk.jmh.results.RunResult> results = new Runner(options.build()).run();
      for (org.openjdk.jmh.results.RunResult r : results) {
        var primary = r.getPrimaryResult();
        String label = r.getParams().getBenchmark().substring(ModelRuntimeBenchmark.class.getName().length() + 1);
        StringBuilder params = new StringBuilder();
        for (String key : r.getParams().getParamsKeys()) {
          params.append(key).append('=').append(r.getParams().getParam(key)).append(' ');
        }
        table.add(new String[] {label, String.valueOf(r.getParams().getThreads()), params.toString().trim(),
            String.format(Locale.ROOT, "%.0f", primary.getScore()),
            Double.isNaN(primary.getScoreError()) ? "" : String.format(Locale.ROOT, "%.0f", primary.getScoreError()),
            rowsPerCall(r), primary.getScoreUnit()});
      }
    }
    System.out.println();
    String format = "%-22s %7s %-28s %12s %10s %13s  %s%n";
    System.out.printf(Locale.ROOT, format, "Benchmark", "Threads", "Params", "Score", "Error", "Rows/mcall", "Units");
    for (String[] row : table) {
      System.out.printf(Locale.ROOT, format, (Object[]) row);
    }
  }

  /**
   * Rows per model call, from the {@code modelCalls} counter, when the benchmark has one. JMH's
   * RunResult is spelled out: this package has a RunResult of its own (the bench command's).
   */
  private static String rowsPerCall(org.openjdk.jmh.results.RunResult r) {
    var calls = r.getSecondaryResults().get("modelCalls");
    if (calls == null || calls.getScore() == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2f", r.getPrimaryResult().getScore() / calls.getScore());
  }

  /**
   * The pool cut into consecutive batches of {@code size} rows (at least 16 batches, wrapping
   * around the pool), each thread starting at a different place so threads do not score the same
   * row at the same time.
   */
  static List<List<FeatureRow>> batchesOf(List<FeatureRow> pool, int size, int threadIndex) {
    int count = Math.max(16, pool.size() / size);
    int start = (threadIndex * 997) % pool.size();
    List<List<FeatureRow>> batches = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      List<FeatureRow> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(pool.get((start + b * size + i) % pool.size()));
      }
      batches.add(List.copyOf(batch));
    }
    return List.copyOf(batches);
  }
}
