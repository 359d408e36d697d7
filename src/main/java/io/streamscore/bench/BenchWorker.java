package io.streamscore.bench;

import io.streamscore.app.HotPathWarmup;
import io.streamscore.app.StreamScoreService;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.Scorer;
import io.streamscore.ops.StartupTimeline;
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
 * <p>Protocol on standard output, one line each: {@code running} once Kafka Streams is RUNNING,
 * {@code stats heap_used_bytes=N} twice a second, {@code phase <epoch ms> <name>|<detail>} as each
 * start-up phase first shows ({@link StartupTimeline}), {@code failed <reason>} on a fatal error, and
 * {@code closed} after a clean stop. It stops when its standard input says {@code stop} or ends,
 * so it never outlives the runner.
 */
public final class BenchWorker {
  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BenchWorker <config.properties> <mode>");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ParentWatch.exitWithParent(System.err);
    StartupTimeline timeline = new StartupTimeline(p -> out.println("phase " + p.epochMillis() + " " + p.name() + "|" + p.detail()));
    timeline.mark("main() entered");
    StreamScoreConfig config = ConfigLoader.load(Optional.of(Path.of(args[0])), Map.of(), Map.of());
    BenchMode mode = BenchMode.of(args[1]);
    AvroLimits.apply(config.maxStringLength(), config.maxBytesLength(), config.maxCollectionItems());
    Scorer scorer = scorer(mode, config);
    timeline.mark("model loaded and warmed up");
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature(), config.maxRecordBytes());
    if (mode == BenchMode.DEFAULT && config.warmupEnabled()) {
      // As StreamScoreService does before Kafka Streams starts.
      HotPathWarmup.Report path = HotPathWarmup.run(sources, scorer, config.batchMaxRows());
      timeline.mark("hot path warmed", path.records() + " sample records in " + path.took().toMillis() + " ms");
    }
    StreamScoreMetrics metrics = new StreamScoreMetrics();
    String bootstrap = config.bootstrapServers().orElseThrow(() -> new IllegalArgumentException("the bench worker needs bootstrap.servers"));
    try (Admin admin = Admin.create(config.clientProperties(bootstrap))) {
      // As StreamScore does before it starts Kafka Streams (KafkaAccessCheck): the first broker round trip.
      admin.describeCluster().clusterId().get();
    }
    timeline.mark("broker connected");
    Properties properties = config.streamsProperties(bootstrap);
    properties.put(ScoringListener.CONFIG_KEY, metrics);
    // Default: exactly what StreamScore builds from this configuration. Every other mode: the
    // one-call-per-record topology with that mode's scorer.
    Topology topology = mode == BenchMode.DEFAULT
        ? StreamScoreService.topology(config, sources, (ModelManager) scorer, ShadowSink.NONE, metrics)
        : ScoringTopology.build(sources, scorer, config.outputTopic(), Clock.systemUTC(), ShadowSink.NONE, metrics);
    KafkaStreams streams = new KafkaStreams(topology, properties);
    streams.setUncaughtExceptionHandler(e -> {
      out.println("failed " + e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      timeline.mark("state " + now);
      if (now == KafkaStreams.State.RUNNING) {
        out.println("running");
      }
    });
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
    streams.setGlobalStateRestoreListener(timeline.restoreListener());
    timeline.mark("KafkaStreams.start() called");
    streams.start();
    timeline.watch(streams);
    stats.start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.equals("stop")) {
        // Nothing else to do: keep serving until told to stop.
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
    };
  }
}
