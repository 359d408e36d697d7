package io.streamscore.app;

import io.streamscore.bench.BenchMode;
import io.streamscore.bench.BenchReport;
import io.streamscore.bench.BenchRunner;
import io.streamscore.bench.BenchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The throughput, latency and memory benchmark of docs/performance.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmarks the ways of serving one model to many stream threads.",
        "Starts an embedded broker (its own JVM), publishes one backlog of demo payments from every source, then",
        "sends one discarded warm-up run through the fresh broker, then for each repetition, stream-thread count and mode (in",
        "reverse order every other repetition) starts a fresh StreamScore JVM that scores the backlog (throughput, RSS, heap,",
        "CPU split by kind of thread, rows per model call, the model's own cost at that batch size) and a paced stream at half",
        "that rate (end-to-end latency). Checks one prediction per input. Records the load average and other processes' CPU",
        "of every run; a run that shared the cores with other work is marked as not a figure. Run it alone.",
        "Modes: passthrough (model call replaced by a constant), per-record (shared session, one record per call),",
        "per-thread-copies, session-per-record (a model load per record, bounded input), default (what StreamScore ships),",
        "per-source-processes (one JVM per source, each with its own model: the status quo; RSS and CPU summed).",
        "Writes bench-results.csv, bench-results.md and bench-results.png into --output. Exit code 1 when a run failed",
        "or any input did not get exactly one prediction.",
        "Without options it is the verdict's method (15 minutes on 2 cores): passthrough and default at 1, the cores and twice",
        "the cores stream threads, 5 short paired repetitions; the verdict is the line at the number of cores.",
        "Example: streamscore bench --ballast-mb 200 --modes default,per-source-processes --sources 12 --threads 12 --worker-heap 512m",
        "Example: streamscore bench --threads 1 --records 20000 --repetitions 1 --output /tmp/bench"})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--records", defaultValue = "200000",
      description = "Measured backlog records of every run, spread over the sources (default: ${DEFAULT-VALUE}).")
  long records;

  @Option(names = "--bounded-records", defaultValue = "1000",
      description = "Records for session-per-record, which loads the model for each (default: ${DEFAULT-VALUE}).")
  long boundedRecords;

  @Option(names = "--threads", split = ",",
      description = "Stream thread counts (default: 1, the number of cores, which is what StreamScore ships and where the verdict "
          + "is given, and twice the cores as a stress row).")
  List<Integer> threads;

  /** 1, the cores and twice the cores, without repeats (one core: 1 and 2). */
  static List<Integer> defaultThreadCounts(int cores) {
    return java.util.stream.Stream.of(1, cores, 2 * cores).distinct().toList();
  }

  @Option(names = "--modes", split = ",", defaultValue = "passthrough,default",
      description = "Modes to run, of passthrough, per-record, per-thread-copies, session-per-record, default and "
          + "per-source-processes (default: ${DEFAULT-VALUE}, the pair the verdict compares).")
  List<String> modes;

  @Option(names = "--partitions", defaultValue = "8", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--latency-seconds", defaultValue = "5", description = "Length of each run's paced phase (default: ${DEFAULT-VALUE}).")
  double latencySeconds;

  @Option(names = "--latency-rate-share", defaultValue = "0.5",
      description = "Paced rate as a share of the rate the run reached on the backlog (default: ${DEFAULT-VALUE}).")
  double latencyRateShare;

  @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
      description = "processing.guarantee of the runs (default: ${DEFAULT-VALUE}).")
  String guarantee;

  @Option(names = "--worker-heap", defaultValue = "1g", description = "Heap of each StreamScore JVM, fixed and pre-touched (default: ${DEFAULT-VALUE}).")
  String workerHeap;

  @Option(names = "--model", defaultValue = "models/fraud", description = "Model base directory (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--ballast-mb", defaultValue = "0",
      description = "Benchmark a copy of the demo model carrying this many extra MB of variables, generated once into "
          + "models/fraud-ballast-<N>mb (memory per loaded copy; default: ${DEFAULT-VALUE}: the demo model).")
  int ballastMb;

  @Option(names = "--hidden", split = ",", paramLabel = "WIDTH",
      description = "Benchmark a model of the demo's inputs and outputs with these hidden layers (e.g. 1024,1024, whose own cost "
          + "dominates), trained once, briefly, into models/fraud-mlp-<W1>x<W2>. Default: the demo model.")
  List<Integer> hidden;

  @Option(names = "--output", defaultValue = "target/bench", description = "Directory for results and worker logs (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "StreamScore configuration key for every benchmarked instance, e.g. model.batch.max.rows=256.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--sources", defaultValue = "0",
      description = "Sources every run reads: beyond the configuration's three, copies of them under new names (terminal-2, ...), "
          + "e.g. 12 for the status quo of one process per source at 12 sources (default: the configuration's own).")
  int sourceCount;

  @Option(names = "--repetitions", defaultValue = "5",
      description = "How many times every mode runs at every thread count; the modes' order is reversed in every other "
          + "repetition, so each runs first and last (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--jit-warmup-records", defaultValue = "200000",
      description = "Records each fresh worker JVM scores before the measured --records, in the same backlog, while the JIT "
          + "compiles its hot paths: rate and CPU are measured from the moment these have predictions; the whole backlog's rate "
          + "is reported beside (default: ${DEFAULT-VALUE}).")
  long jitWarmupRecords;

  @Option(names = "--no-warmup-load", description = "Skip the discarded run that warms the fresh broker before the first measured one.")
  boolean noWarmupLoad;

  @Option(names = "--replot", description = "Only redraw --output's bench-results.png from its bench-results.csv, titled with --guarantee.")
  boolean replot;

  @Override
  public Integer call() throws Exception {
    if (replot) {
      BenchReport.replot(output.resolve(BenchReport.CSV_FILE), guarantee, output.resolve(BenchReport.PLOT_FILE));
      System.out.println("Wrote " + output.resolve(BenchReport.PLOT_FILE));
      return 0;
    }
    Path modelPath = model;
    if (ballastMb > 0) {
      modelPath = Path.of("models", "fraud-ballast-" + ballastMb + "mb");
      if (!Files.isDirectory(modelPath.resolve("1"))) {
        System.out.println("[bench] generating " + modelPath + "/1 (the demo model plus " + ballastMb + " MB of variables)");
        int exit = ChildJvm.run(TrainModelCommand.ONEDNN_SWITCH, "0", "train-model", "--output", modelPath.resolve("1").toString(),
            "--ballast-mb", Integer.toString(ballastMb));
        if (exit != 0) {
          System.err.println("generating the ballast model failed (exit " + exit + ")");
          return exit;
        }
      }
    }
    if (hidden != null && !hidden.isEmpty()) {
      if (ballastMb > 0) {
        System.err.println("--hidden and --ballast-mb each name a benchmark model: give one of them");
        return 2;
      }
      String widths = hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("x"));
      modelPath = Path.of("models", "fraud-mlp-" + widths);
      if (!Files.isDirectory(modelPath.resolve("1"))) {
        // Its predictions are not the point: a few epochs on fewer rows keep training to a minute.
        System.out.println("[bench] training " + modelPath + "/1 (hidden layers " + widths + ")");
        int exit = ChildJvm.run(TrainModelCommand.ONEDNN_SWITCH, "0", "train-model", "--output", modelPath.resolve("1").toString(),
            "--hidden", widths.replace('x', ','), "--train-rows", "20000", "--test-rows", "5000", "--epochs", "2");
        if (exit != 0) {
          System.err.println("training the benchmark model failed (exit " + exit + ")");
          return exit;
        }
      }
    }
    List<BenchMode> benchModes = modes.stream().map(BenchMode::of).toList();
    List<Integer> threadCounts = threads == null ? defaultThreadCounts(Runtime.getRuntime().availableProcessors()) : threads;
    BenchSettings settings = new BenchSettings(modelPath, records, boundedRecords, threadCounts, benchModes, partitions, latencySeconds,
        latencyRateShare, guarantee, workerHeap, output, overrides, repetitions, !noWarmupLoad, jitWarmupRecords,
        sourceCount);
    BenchReport report = new BenchRunner(settings, System.out).run();
    List<Path> files = report.write();
    System.out.println();
    System.out.println(Files.readString(files.get(1)));
    report.comparisonLines().forEach(System.out::println);
    report.statusQuoLines(BenchReport.variablesBytes(modelPath)).forEach(System.out::println);
    System.out.println("Wrote " + Arrays.toString(files.toArray()));
    return report.allRunsComplete() ? 0 : 1;
  }
}
