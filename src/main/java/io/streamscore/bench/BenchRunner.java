package io.streamscore.bench;

import io.streamscore.app.TopicAdmin;
import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Runs the benchmark: one embedded broker (its own JVM), one shared backlog of demo payments from
 * every source, then, for each mode and thread count, a fresh {@link BenchWorker} JVM that scores
 * the whole backlog (throughput, RSS, heap, CPU) and then a paced stream at a share of the rate it
 * reached (end-to-end latency). Every run's predictions are checked: one per input.
 */
public final class BenchRunner {
  private static final long SEED = 20261126L;
  /** Paced seconds after a backlog that are not counted in latency percentiles. */
  static final double SETTLE_SECONDS = 5;

  private final BenchSettings settings;
  private final PrintStream out;
  private final Map<String, String> baseConfig;
  private final List<SourceDefinition> sources;
  private String bootstrap;
  private long brokerPid;
  private Admin admin;
  private BenchPublisher publisher;
  private int runIndex;

  public BenchRunner(BenchSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    Map<String, String> base = new TreeMap<>(ConfigLoader.read(Optional.empty()));
    base.putAll(settings.overrides());
    base.put(StreamScoreConfig.MODEL_PATH_CONFIG, settings.modelPath().toString());
    this.baseConfig = SyntheticSources.expand(base, settings.sources());
    // Validates the overrides before anything starts.
    this.sources = new StreamScoreConfig(baseConfig).sources();
  }

  public BenchReport run() throws Exception {
    long started = System.currentTimeMillis();
    Path logs = settings.outputDirectory().resolve("logs");
    Files.createDirectories(logs);
    out.println("[bench] starting an embedded Kafka broker (its own JVM)");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      bootstrap = broker.bootstrapServers();
      brokerPid = broker.pid();
      Properties adminConfig = new Properties();
      adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin created = Admin.create(adminConfig)) {
        admin = created;
        publisher = new BenchPublisher(clientConfig(), sources, SEED);
        List<String> backlog = inputTopics("backlog");
        long backlogRecords = settings.jitWarmupRecords() + settings.records();
        out.printf(Locale.ROOT, "[bench] publishing the backlog: %,d records (%,d for each worker's JIT warm-up, then %,d measured) "
            + "from %d sources, %d partitions each%n", backlogRecords, settings.jitWarmupRecords(), settings.records(), sources.size(),
            settings.partitions());
        long publishStart = System.nanoTime();
        publisher.backlog(backlog, backlogRecords, n -> out.printf(Locale.ROOT, "[bench] backlog %,d/%,d%n", n, backlogRecords));
        out.printf(Locale.ROOT, "[bench] backlog published in %.1f s%n", (System.nanoTime() - publishStart) / 1e9);
        List<RunResult> results = new ArrayList<>();
        if (settings.warmupLoad()) {
          // The first run after the backlog is published meets a cold broker (its page cache, its
          // own JIT) and measured 30-40 % slower, whatever its mode: this one is thrown away.
          int most = settings.threads().stream().max(Integer::compare).orElseThrow();
          out.printf(Locale.ROOT, "[bench] warm-up load (discarded): passthrough x%d through the fresh broker%n", most);
          RunResult warm = throughputRun(BenchMode.PASSTHROUGH, most, backlog, logs, 0, 0, false);
          out.println("[bench] warm-up load: " + describe(warm));
        }
        for (Slot slot : schedule(settings.modes(), settings.threads(), settings.repetitions())) {
          RunResult result = throughputRun(slot.mode(), slot.threads(), backlog, logs, slot.repetition(), slot.position(), true);
          results.add(result);
          out.println("[bench] " + describe(result));
        }
        return new BenchReport(settings, results, sources.size(), Machine.describe(), started, System.currentTimeMillis());
      }
    }
  }

  /** One measured run's place in the schedule. */
  record Slot(int repetition, int threads, int position, BenchMode mode) {}

  /**
   * The order of the measured runs: each repetition goes through the thread counts, and at each
   * runs every mode, in the given order in odd repetitions and reversed in even ones (A B, B A,
   * ...), so each mode runs both first and last.
   */
  static List<Slot> schedule(List<BenchMode> modes, List<Integer> threads, int repetitions) {
    List<Slot> slots = new ArrayList<>();
    for (int repetition = 1; repetition <= repetitions; repetition++) {
      List<BenchMode> order = new ArrayList<>(modes);
      if (repetition % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (int t : threads) {
        for (int i = 0; i < order.size(); i++) {
          slots.add(new Slot(repetition, t, i + 1, order.get(i)));
        }
      }
    }
    return slots;
  }

  /**
   * One mode at one thread count: the backlog, then (when {@code measured}) the model alone at
   * the run's batch size and the paced phase.
   */
  private RunResult throughputRun(BenchMode mode, int threads, List<String> sharedBacklog, Path logs, int repetition, int position,
      boolean measured) throws Exception {
    String id = "run" + (++runIndex) + "-" + (measured ? "" : "warmup-") + mode.label() + "-" + threads;
    List<String> backlog = sharedBacklog;
    long backlogRecords = settings.jitWarmupRecords() + settings.records();
    // The first records are the fresh JVM's warm-up (the JIT compiles Kafka's paths and
    // StreamScore's): rate and CPU are measured from there to the end.
    long markAt = settings.jitWarmupRecords();
    if (mode.bounded()) {
      // A model load per record: no JIT warm-up changes what that costs.
      backlog = inputTopics(id + "-backlog");
      backlogRecords = settings.boundedRecords();
      markAt = 0;
      publisher.backlog(backlog, backlogRecords, n -> { });
    }
    long measuredRecords = backlogRecords - markAt;
    List<String> paced = inputTopics(id + "-paced");
    String output = outputTopic(id);
    String guarantee = settings.processingGuarantee();
    List<Path> configs = new ArrayList<>();
    List<Path> workerLogs = new ArrayList<>();
    if (mode.perSource()) {
      List<Integer> shares = WorkerGroup.threadsPerProcess(threads, sources.size());
      for (int i = 0; i < sources.size(); i++) {
        String worker = id + "-" + sources.get(i).name();
        configs.add(workerConfig(worker, shares.get(i), guarantee, backlog, paced, output, Optional.of(i)));
        workerLogs.add(logs.resolve(worker + ".log"));
      }
    } else {
      configs.add(workerConfig(id, threads, guarantee, backlog, paced, output, Optional.empty()));
      workerLogs.add(logs.resolve(id + ".log"));
    }
    out.printf(Locale.ROOT, "[bench] %s, %d stream threads%s: scoring %,d records (%,d measured)%n", mode, threads,
        measured ? ", repetition " + repetition + ", position " + position : "", backlogRecords, measuredRecords);
    try (OutputReader reader = new OutputReader(clientConfig(), output);
        WorkerGroup worker = WorkerGroup.start(configs, mode.workerMode(), settings.workerHeap(), workerLogs)) {
      // Generous: the slowest mode scores a few thousand records per second on one thread.
      long deadline = System.nanoTime() + (long) ((120 + backlogRecords / 500.0) * 1e9);
      double cpuAtFirst = Double.NaN;
      long wallAtFirst = 0;
      double loadStart = Double.NaN;
      double othersAtFirst = Double.NaN;
      ThreadCpuSplit.Sample splitAtFirst = null;
      long markInputs = 0;
      long markAppendMillis = 0;
      long lastProgress = System.nanoTime();
      OutputReader.Snapshot snapshot = reader.snapshot();
      while (snapshot.distinctInputs() < backlogRecords) {
        String failure = worker.failure();
        if (failure != null || System.nanoTime() > deadline) {
          return failed(mode, threads, guarantee, backlogRecords, snapshot,
              failure != null ? failure : "timed out after " + snapshot.distinctInputs() + " predictions");
        }
        if (Double.isNaN(cpuAtFirst) && snapshot.predictions() > 0 && snapshot.distinctInputs() >= markAt) {
          markInputs = snapshot.distinctInputs();
          markAppendMillis = snapshot.lastAppendMillis();
          splitAtFirst = worker.split();
          cpuAtFirst = worker.cpuSeconds();
          othersAtFirst = othersSeconds(worker);
          loadStart = MachineLoad.loadAverage();
          wallAtFirst = System.nanoTime();
        }
        if (System.nanoTime() - lastProgress > 2_000_000_000L) {
          lastProgress = System.nanoTime();
          out.printf(Locale.ROOT, "[bench]   %s x%d: %,d/%,d predictions%n", mode, threads, snapshot.distinctInputs(), backlogRecords);
        }
        Thread.sleep(50); // Polling interval of the progress check; the counts come from the reader.
        snapshot = reader.snapshot();
      }
      if (Double.isNaN(cpuAtFirst)) {
        // The reader polls every 50 ms; a backlog small enough to come out in one of them leaves no
        // moment between the JIT warm-up and the end at which to open the measuring window.
        return failed(mode, threads, guarantee, backlogRecords, snapshot, "all " + backlogRecords
            + " predictions appeared between two polls, before the first " + markAt
            + " (the JIT warm-up) were seen alone: the measuring window never opened; raise --records");
      }
      ThreadCpuSplit.Sample splitAtEnd = worker.split();
      double wall = (System.nanoTime() - wallAtFirst) / 1e9;
      double cpuCores = (worker.cpuSeconds() - cpuAtFirst) / wall;
      RunResult.Conditions conditions = new RunResult.Conditions(repetition, position, loadStart, MachineLoad.loadAverage(),
          (othersSeconds(worker) - othersAtFirst) / wall);
      RunResult.CpuPerRecord cpu = splitAtFirst == null || splitAtEnd == null ? RunResult.CpuPerRecord.UNKNOWN
          : RunResult.CpuPerRecord.of(splitAtEnd.minus(splitAtFirst), Math.max(1, snapshot.distinctInputs() - markInputs));
      double rss = worker.rssMb();
      double heap = worker.heapUsedMb();
      double wholeSeconds = Math.max(1, snapshot.lastAppendMillis() - snapshot.firstAppendMillis()) / 1000.0;
      double wholeThroughput = snapshot.distinctInputs() / wholeSeconds;
      double throughput = markInputs == 0 ? wholeThroughput
          : (snapshot.distinctInputs() - markInputs) / (Math.max(1, snapshot.lastAppendMillis() - markAppendMillis) / 1000.0);

      RunResult.Batches batches = worker.batches();
      if (!measured) {
        return new RunResult(mode, threads, guarantee, measuredRecords, throughput, Double.NaN, Double.NaN, Double.NaN, rss, heap,
            cpuCores, backlogRecords, snapshot.distinctInputs(), snapshot.duplicates(), null, conditions, cpu, batches, wholeThroughput);
      }
      awaitQuiet(worker);
      if (mode.workerMode() == BenchMode.DEFAULT || mode == BenchMode.PER_RECORD) {
        batches = withModelCost(worker, batches);
      }
      double rate = Math.max(1, throughput * settings.latencyRateShare());
      // The first seconds after a backlog are not steady state (see docs/performance.md): they are
      // published and scored, and checked for exactly one prediction, but not in the percentiles.
      long pacedStart = System.currentTimeMillis();
      reader.startLatencyPhase(pacedStart + (long) (SETTLE_SECONDS * 1000));
      long sent = publisher.paced(paced, rate, SETTLE_SECONDS + settings.latencySeconds());
      String failure = awaitPredictions(reader, worker::failure, backlogRecords + sent);
      reader.writeLatencySamples(logs.resolve(id + ".latency.csv"));
      OutputReader.Latency latency = reader.latency();
      OutputReader.Snapshot last = reader.snapshot();
      return new RunResult(mode, threads, guarantee, measuredRecords, throughput, latency.p50(), latency.p99(), latency.p999(),
          rss, heap, cpuCores, backlogRecords + sent, last.distinctInputs(), last.duplicates(), failure, conditions, cpu, batches,
          wholeThroughput);
    }
  }

  /** CPU seconds used on the machine by everything but this runner, the broker and the workers. */
  private double othersSeconds(WorkerGroup worker) {
    return MachineLoad.busySeconds() - MachineLoad.ownSeconds() - WorkerProcess.cpuSeconds(brokerPid) - worker.cpuSeconds();
  }

  /** The model alone, from one thread of the idle worker, at the run's mean batch size. */
  private RunResult.Batches withModelCost(WorkerGroup worker, RunResult.Batches batches) throws IOException, InterruptedException {
    int rows = Double.isNaN(batches.meanRowsPerCall()) ? 1 : Math.max(1, (int) Math.round(batches.meanRowsPerCall()));
    String answer = worker.modelAlone(rows);
    if (answer == null || answer.equals("none")) {
      return batches;
    }
    out.printf(Locale.ROOT, "[bench]   the model alone at %d rows a call: %s%n", rows, answer);
    return new RunResult.Batches(batches.meanRowsPerCall(), batches.p50RowsPerCall(), Double.parseDouble(WorkerGroup.fields(answer).get("cpu_us_per_row")));
  }

  /**
   * Waits (at most a minute) until the worker and the broker together use less than a quarter of a
   * core, so the paced phase does not start while either is still busy with the backlog's tail: on
   * a shared machine that would be measured as the paced phase's latency.
   */
  private void awaitQuiet(WorkerGroup worker) throws InterruptedException {
    long start = System.nanoTime();
    double before = WorkerProcess.cpuSeconds(brokerPid) + worker.cpuSeconds();
    while (System.nanoTime() - start < 60_000_000_000L) {
      Thread.sleep(1_000); // The sampling interval of the CPU measurement.
      double now = WorkerProcess.cpuSeconds(brokerPid) + worker.cpuSeconds();
      if (Double.isNaN(now) || now - before < 0.25) {
        break;
      }
      before = now;
    }
    out.printf(Locale.ROOT, "[bench]   quiet after %.0f s; paced phase%n", (System.nanoTime() - start) / 1e9);
  }

  private static String awaitPredictions(OutputReader reader, java.util.function.Supplier<String> failure, long inputs)
      throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (reader.snapshot().distinctInputs() < inputs) {
      if (failure.get() != null) {
        return failure.get();
      }
      if (System.nanoTime() > deadline) {
        return "only " + reader.snapshot().distinctInputs() + " of " + inputs + " inputs got a prediction";
      }
      Thread.sleep(50); // Polling interval; the counts come from the reader.
    }
    return null;
  }

  private static RunResult failed(BenchMode mode, int threads, String guarantee, long records, OutputReader.Snapshot s, String why) {
    return new RunResult(mode, threads, guarantee, records, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, records, s.distinctInputs(), s.duplicates(), why, RunResult.Conditions.UNKNOWN, RunResult.CpuPerRecord.UNKNOWN,
        RunResult.Batches.UNKNOWN, Double.NaN);
  }

  /** One topic per source, named after the run; created with their partitions ready for producers. */
  private List<String> inputTopics(String set) throws Exception {
    List<String> topics = sources.stream().map(s -> "bench." + set + "." + s.name()).toList();
    createTopics(topics, Map.of());
    return topics;
  }

  private String outputTopic(String id) throws Exception {
    String output = "bench." + id + ".predictions";
    // The broker's clock stamps each prediction as it is appended: latency ends there.
    createTopics(List.of(output), Map.of("message.timestamp.type", "LogAppendTime"));
    createTopics(List.of(output + ".dlq"), Map.of());
    return output;
  }

  private void createTopics(List<String> names, Map<String, String> topicConfig) throws Exception {
    admin.createTopics(names.stream().map(n -> new NewTopic(n, settings.partitions(), (short) 1).configs(topicConfig)).toList()).all().get();
    TopicAdmin.awaitLeaders(admin, names);
  }

  /**
   * A worker's configuration: every source, or with {@code onlySource} that source alone (its
   * topics, keys and model; the other sources' keys left out), as one of per-source-processes'.
   */
  private Path workerConfig(String id, int threads, String guarantee, List<String> backlog, List<String> paced,
      String output, Optional<Integer> onlySource) throws IOException {
    Map<String, String> config = new TreeMap<>(baseConfig);
    if (onlySource.isPresent()) {
      String kept = sources.get(onlySource.get()).name();
      config.keySet().removeIf(k -> k.startsWith("source.") && !k.startsWith("source." + kept + "."));
      config.put(StreamScoreConfig.SOURCES_CONFIG, kept);
    }
    config.put(StreamScoreConfig.APPLICATION_ID_CONFIG, "bench-" + id);
    config.put(StreamScoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(StreamScoreConfig.OUTPUT_TOPIC_CONFIG, output);
    config.put(StreamScoreConfig.DEAD_LETTER_TOPIC_CONFIG, output + ".dlq");
    config.put(StreamScoreConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    config.put(StreamScoreConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    config.put(StreamScoreConfig.TOPICS_CREATE_CONFIG, "false");
    config.put(StreamScoreConfig.HTTP_PORT_CONFIG, "-1");
    config.put(StreamScoreConfig.MODEL_POLL_INTERVAL_MS_CONFIG, "0");
    for (int i = 0; i < sources.size(); i++) {
      if (onlySource.isPresent() && onlySource.get() != i) {
        continue;
      }
      List<String> topics = new ArrayList<>();
      if (!backlog.isEmpty()) {
        topics.add(backlog.get(i));
      }
      topics.add(paced.get(i));
      config.put("source." + sources.get(i).name() + ".topics", String.join(",", topics));
    }
    new StreamScoreConfig(config); // Fails here, naming the key, rather than in the worker.
    Path file = settings.outputDirectory().resolve("logs").resolve(id + ".properties");
    Properties properties = new Properties();
    properties.putAll(config);
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, "StreamScore bench worker " + id);
    }
    return file;
  }

  private Properties clientConfig() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  static String describe(RunResult r) {
    if (r.failure() != null) {
      return String.format(Locale.ROOT, "%s x%d FAILED: %s", r.mode(), r.threads(), r.failure());
    }
    RunResult.CpuPerRecord c = r.cpu();
    return String.format(Locale.ROOT, "%s x%d: %,.0f records/s, p50 %.0f ms, p99 %.0f ms, p999 %.0f ms, RSS %.0f MB, heap %.0f MB, "
        + "CPU %.2f cores; µs a record: stream %.1f, tensorflow %.1f, gc %.1f, jit %.1f, rest %.1f, total %.1f; rows a call: mean %.1f, "
        + "p50 %d; model alone %.2f µs a row; load %.2f -> %.2f, other work %.2f cores%s; %s", r.mode(), r.threads(), r.recordsPerSecond(),
        r.p50Ms(), r.p99Ms(), r.p999Ms(), r.rssMb(), r.heapMb(), r.cpuCores(), c.stream(), c.tensorflow(), c.gc(), c.jit(), c.rest(),
        c.total(), r.batches().meanRowsPerCall(), r.batches().p50RowsPerCall(), r.batches().modelCpuMicrosPerRow(),
        r.conditions().loadStart(), r.conditions().loadEnd(), r.conditions().foreignCores(), r.figure() ? "" : " (NOT A FIGURE)",
        r.exactlyOnePredictionPerInput() ? "one prediction per input"
            : "NOT one prediction per input: " + r.distinctPredictions() + "/" + r.expectedPredictions() + ", " + r.duplicates() + " twice");
  }
}
