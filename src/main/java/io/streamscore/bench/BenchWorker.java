package io.streamscore.bench;

import io.streamscore.app.GroupProtocolChoice;
import io.streamscore.app.KafkaPathWarmup;
import io.streamscore.app.StreamScoreService;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.Scorer;
import io.streamscore.ops.StreamScoreMetrics;
import io.streamscore.source.AvroLimits;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.ScoringListener;
import io.streamscore.topology.ScoringTopology;
import io.streamscore.topology.ShadowSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One benchmarked StreamScore, in its own JVM so that its RSS, heap and CPU are its own: the
 * configured topology with the scorer of one {@link BenchMode}. Started by {@link BenchRunner}.
 *
 * <p>Protocol on standard output, one line each: {@code stats heap_used_bytes=N} twice a second,
 * {@code failed <reason>} on a fatal error, and {@code closed} after a
 * clean stop. On standard input, {@code split} answers {@code split <ThreadCpuSplit.Sample>} at once,
 * {@code batches} answers {@code batches calls=C rows=R p50=P} (the
 * model calls the topology made so far, and the median rows per call), and {@code model <rows>
 * <seconds>} calls the model alone from one thread with batches of that many rows for that long and
 * answers {@code model rows=R calls=C cpu_us_per_row=X} (the CPU of the calling thread and of
 * TensorFlow's threads, per row), or {@code model none} where the mode has no shared model. It
 * stops when its standard input says {@code stop} or ends, so it never outlives the runner.
 */
public final class BenchWorker {
  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BenchWorker <config.properties> <mode>");
      System.exit(2);
    }
    // As StreamScore's own entry point does, before anything touches TensorFlow.
    io.streamscore.model.internals.JavaCppSettings.apply();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ParentWatch.exitWithParent(System.err);
    StreamScoreConfig config = ConfigLoader.load(Optional.of(Path.of(args[0])), Map.of(), Map.of());
    BenchMode mode = BenchMode.of(args[1]);
    AvroLimits.apply(config.maxStringLength(), config.maxBytesLength(), config.maxCollectionItems());
    Scorer scorer = scorer(mode, config);
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature(), config.maxRecordBytes());
    StreamScoreMetrics metrics = new StreamScoreMetrics();
    BatchCounter batchCounter = new BatchCounter(metrics);
    String bootstrap = config.bootstrapServers().orElseThrow(() -> new IllegalArgumentException("the bench worker needs bootstrap.servers"));
    GroupProtocolChoice protocol;
    try (Admin admin = Admin.create(config.clientProperties(bootstrap))) {
      // As StreamScore does before it starts Kafka Streams (KafkaAccessCheck): the first broker round trip.
      admin.describeCluster().clusterId().get();
      protocol = GroupProtocolChoice.ask(config, admin);
    }
    if (mode == BenchMode.DEFAULT && config.warmupEnabled()) {
      // As StreamScoreService does before Kafka Streams starts.
      KafkaPathWarmup.run(config, bootstrap, protocol.protocol(), (ModelManager) scorer,
          io.streamscore.output.PredictionEncoder.singleObject(), Optional.empty(), new io.streamscore.app.StopRequest());
    }
    Properties properties = config.streamsProperties(bootstrap, protocol.protocol());
    properties.put(ScoringListener.CONFIG_KEY, batchCounter);
    // Default: exactly what StreamScore builds from this configuration. Every other mode: the
    // one-call-per-record topology with that mode's scorer.
    Topology topology = mode == BenchMode.DEFAULT
        ? StreamScoreService.topology(config, sources, (ModelManager) scorer, ShadowSink.NONE, batchCounter)
        : ScoringTopology.build(sources, scorer, config.outputTopic(), Clock.systemUTC(), ShadowSink.NONE, batchCounter);
    KafkaStreams streams = new KafkaStreams(topology, properties);
    streams.setUncaughtExceptionHandler(e -> {
      out.println("failed " + e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    ThreadCpuSplit cpu = new ThreadCpuSplit();
    Thread stats = new Thread(() -> {
      try {
        while (true) {
          Runtime runtime = Runtime.getRuntime();
          out.println("stats heap_used_bytes=" + (runtime.totalMemory() - runtime.freeMemory()));
          Thread.sleep(500); // The reporting interval, not a synchronisation.
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-stats");
    stats.setDaemon(true);
    streams.start();
    stats.start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.equals("stop")) {
        if (line.equals("split")) {
          out.println("split " + cpu.sample().format());
        } else if (line.equals("batches")) {
          out.println("batches " + batchCounter.summary());
        } else if (line.startsWith("model ")) {
          String[] request = line.split(" ");
          Scorer shared = sharedModel(scorer);
          out.println("model " + (shared == null ? "none"
              : measureModel(shared, sources, Integer.parseInt(request[1]), Double.parseDouble(request[2]))));
        }
      }
    }
    stats.interrupt();
    boolean clean = streams.close(CloseOptions.timeout(Duration.ofSeconds(60))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (clean) {
      scorer.close();
    }
    metrics.close();
    out.println(clean ? "closed" : "failed close timed out");
    System.exit(clean ? 0 : 1);
  }

  /** The one shared model a mode's scorer calls (or, for passthrough, holds loaded); null for per-thread copies and sessions per record. */
  private static Scorer sharedModel(Scorer scorer) {
    if (scorer instanceof ConstantScorer constant) {
      return constant.realModel();
    }
    return scorer instanceof ModelManager ? scorer : null;
  }

  /**
   * The model's own cost: calls with batches of {@code rows} rows from this thread for about
   * {@code seconds}, while the topology is idle; CPU of this thread and of TensorFlow's own threads
   * (where TensorFlow runs the ops), per row.
   */
  private static String measureModel(Scorer model, SourceRegistry sources, int rows, double seconds) {
    List<FeatureRow> batch = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      batch.add(sources.sources().get(i % sources.sources().size()).mapper().syntheticRow());
    }
    for (int i = 0; i < 200; i++) {
      model.score(batch); // Compiled and warm before it is measured.
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ThreadCpuSplit split = new ThreadCpuSplit();
    ThreadCpuSplit.Sample before = split.sample();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long calls = 0;
    while (System.nanoTime() - start < seconds * 1e9) {
      model.score(batch);
      calls++;
    }
    double callerSeconds = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
    ThreadCpuSplit.Sample delta = split.sample().minus(before);
    double perRow = (callerSeconds + delta.tensorflow()) * 1e6 / (calls * rows);
    return String.format(Locale.ROOT, "rows=%d calls=%d cpu_us_per_row=%.3f", rows, calls, perRow);
  }

  /**
   * Counts, per batch size, the records the topology scored, passing each on to {@code next}:
   * records per batch size give calls per batch size, hence the rows per call.
   */
  static final class BatchCounter implements ScoringListener {
    private final ScoringListener next;
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.LongAdder> recordsByBatch =
        new java.util.concurrent.ConcurrentHashMap<>();

    BatchCounter(ScoringListener next) {
      this.next = next;
    }

    @Override
    public void scored(String source, io.streamscore.model.ScoredRow row, int batchSize) {
      recordsByBatch.computeIfAbsent(batchSize, b -> new java.util.concurrent.atomic.LongAdder()).increment();
      next.scored(source, row, batchSize);
    }

    @Override
    public void deadLettered(String topic, Exception reason) {
      next.deadLettered(topic, reason);
    }

    /** {@code calls=C rows=R p50=P}: model calls, rows in them, and the median rows per call. */
    String summary() {
      java.util.TreeMap<Integer, Long> calls = new java.util.TreeMap<>();
      long rows = 0;
      for (var e : recordsByBatch.entrySet()) {
        long records = e.getValue().sum();
        rows += records;
        calls.put(e.getKey(), Math.max(1, Math.round((double) records / e.getKey())));
      }
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      long seen = 0;
      int p50 = 0;
      for (var e : calls.entrySet()) {
        seen += e.getValue();
        if (seen * 2 >= total) {
          p50 = e.getKey();
          break;
        }
      }
      return "calls=" + total + " rows=" + rows + " p50=" + p50;
    }
  }

  static Scorer scorer(BenchMode mode, StreamScoreConfig config) {
    ModelOptions options = StreamScoreService.modelOptions(config);
    return switch (mode) {
      case PASSTHROUGH -> {
        ModelManager model = ModelManager.start(options);
        yield new ConstantScorer(model,
            SourceRegistry.create(config.sources(), model.model().signature()).sources().get(0).mapper().syntheticRow());
      }
      case PER_RECORD -> ModelManager.start(options);
      case PER_THREAD_COPIES -> new PerThreadCopiesScorer(options, config.numStreamThreads());
      case SESSION_PER_RECORD -> new SessionPerRecordScorer(options);
      case DEFAULT -> ModelManager.start(options);
      case PER_SOURCE_PROCESSES -> throw new IllegalArgumentException("per-source-processes runs one default worker per source");
    };
  }
}
