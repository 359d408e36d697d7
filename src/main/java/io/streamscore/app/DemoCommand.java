package io.streamscore.app;

import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.PredictionTally;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.model.WarmupReport;
import io.streamscore.prediction.OutputTensor;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import io.streamscore.output.PredictionDecoder;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.registry.SingleObjectReframer;
import io.streamscore.registry.local.LocalSchemaRegistry;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The end-to-end demo: a real broker (embedded unless configured), records from every source,
 * several stream threads sharing one warmed-up model, and a summary read back from the output and
 * dead-letter topics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the end-to-end demo and prints a summary.", "Starts StreamScore (and, with no bootstrap.servers, an embedded Kafka broker), publishes synthetic",
        "payments from every source plus a few bad records, scores them with several stream threads sharing one",
        "model, prints live progress, then a summary read back from the output and dead-letter topics.",
        "Exits 0 when every published record came back as exactly one prediction or one dead letter.",
        "Example: streamscore demo --records-per-source 2000 --threads 2"})
final class DemoCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions configOptions;

  @Option(names = "--records-per-source", defaultValue = "40000", description = "Good records per source (default: ${DEFAULT-VALUE}).")
  int recordsPerSource;

  @Option(names = "--bad-records-per-source", defaultValue = "3",
      description = "Records per source of each bad kind (garbage bytes, truncated Avro, unknown writer schema) (default: ${DEFAULT-VALUE}).")
  int badRecordsPerSource;

  @Option(names = "--threads", defaultValue = "4", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--no-warmup", description = "Skip model warm-up, to see what the first records pay without it.")
  boolean noWarmup;

  @Option(names = "--format", defaultValue = "avro", paramLabel = "avro|confluent",
      description = "avro: records and predictions in Avro single-object encoding (default). confluent: both in Confluent's wire"
          + " format through a schema registry: schema.registry.url, or else a local Apicurio Registry the demo starts"
          + " (needs Java 21+ on this machine and `mvn package`, which unpacks it into target/).")
  String format;

  @Option(names = "--paced-seconds", defaultValue = "10",
      description = "After the backlog is scored, publish at --paced-rate for this long and report those records' latency apart:"
          + " the service's own, with no backlog to wait in; 0 skips it (default: ${DEFAULT-VALUE}).")
  int pacedSeconds;

  @Option(names = "--paced-rate", defaultValue = "1000", description = "Records/s over all sources in the paced phase (default: ${DEFAULT-VALUE}).")
  int pacedRate;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up after this long (ISO-8601 duration, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(StreamScoreConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    settings.put(StreamScoreConfig.MODEL_WARMUP_ENABLED_CONFIG, Boolean.toString(!noWarmup));
    PrintStream out = System.out;
    if (!format.equals("avro") && !format.equals("confluent")) {
      System.err.println("demo: --format takes avro or confluent, not '" + format + "'");
      return 2;
    }
    boolean confluent = format.equals("confluent");
    LocalSchemaRegistry localRegistry = null;
    if (confluent) {
      boolean configured = configOptions.load(settings).schemaRegistry().isPresent();
      settings.put(StreamScoreConfig.OUTPUT_FORMAT_CONFIG, "confluent");
      if (!configured) {
        Optional<String> reason = LocalSchemaRegistry.unavailableReason();
        if (reason.isPresent()) {
          System.err.println("demo: --format confluent needs a schema registry: set schema.registry.url, or make a local one possible: "
              + reason.get());
          return 2;
        }
        out.println("Starting a local schema registry (Apicurio Registry, Confluent API) on 127.0.0.1 ...");
        localRegistry = LocalSchemaRegistry.start();
        settings.put(StreamScoreConfig.REGISTRY_URL_CONFIG, localRegistry.url());
        out.println("Schema registry " + localRegistry.url());
      }
    }
    try {
      return run(configOptions.load(settings), out, confluent);
    } finally {
      if (localRegistry != null) {
        localRegistry.close();
      }
    }
  }

  private int run(StreamScoreConfig config, PrintStream out, boolean confluent) throws Exception {
    out.println("Starting StreamScore demo: " + config.sources().size() + " sources, " + threads + " stream threads, "
        + recordsPerSource + " records per source" + (config.bootstrapServers().isEmpty() ? ", embedded Kafka broker" : ""));
    long startNanos = System.nanoTime();
    try (StreamScoreService service = StreamScoreService.start(config)) {
      Map<String, String> sourceByTopic = new LinkedHashMap<>();
      config.sources().forEach(s -> s.topics().forEach(t -> sourceByTopic.put(t, s.name())));
      Optional<SchemaRegistryClient> registry = config.schemaRegistry().map(SchemaRegistryClient::new);
      try (PredictionTally tally = new PredictionTally(config.clientProperties(service.bootstrapServers()),
          config.outputTopic(), config.deadLetterTopic(), sourceByTopic, new PredictionDecoder(registry.map(r -> r)))) {
        if (!service.awaitRunning(Duration.ofSeconds(60))) {
          out.println("Kafka Streams did not reach RUNNING within 60 s (state " + service.state() + ")");
          return 1;
        }
        out.printf(Locale.ROOT, "Broker %s ready, model %s v%d loaded and %s, streams RUNNING after %.1f s%n",
            service.bootstrapServers(), service.scorer().model().name(), service.scorer().model().version(),
            noWarmup ? "NOT warmed up" : "warmed up", (System.nanoTime() - startNanos) / 1e9);
        Map<String, long[]> published = new LinkedHashMap<>();
        long publishStart = System.currentTimeMillis();
        List<Feed> feeds = feeds(config, published, confluent ? registry : Optional.empty());
        Properties producerConfig = config.clientProperties(service.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        long deadline = System.nanoTime() + timeout.toNanos();
        long sent;
        Backlog backlog;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
          sent = publish(producer, feeds, published, tally, confluent);
          awaitAnswers(out, tally, sent, deadline);
          backlog = new Backlog(tally.total(), tally.lastAppendTime(), tally.latencyPercentile(50), tally.latencyPercentile(99),
              tally.latencyPercentile(100));
          if (pacedSeconds > 0 && tally.total() == sent) {
            out.printf(Locale.ROOT, "Backlog scored; now %d records/s for %d s, to measure the service's own latency%n", pacedRate, pacedSeconds);
            tally.pacedFrom(System.currentTimeMillis());
            sent += publishPaced(producer, feeds, published);
            awaitAnswers(out, tally, sent, deadline);
          }
        }
        printSummary(out, config, service.warmupReport(), published, tally, publishStart, sent, backlog);
        boolean complete = tally.total() == sent && tally.duplicates() == 0;
        if (!complete) {
          out.printf(Locale.ROOT, "INCOMPLETE: %d records published, %d came back (%d duplicates) before the timeout%n",
              sent, tally.total(), tally.duplicates());
        }
        return complete ? 0 : 1;
      }
    }
  }

  /** One source's synthetic records: where they go, how they are made and encoded. */
  private record Feed(String source, String topic, Schema schema, SyntheticRecords.Generator generator, UnaryOperator<byte[]> encoding) {}

  /** What the backlog showed before the paced phase: records answered, the last append time, latency percentiles. */
  private record Backlog(long answered, long lastAppendTime, long p50Millis, long p99Millis, long maxMillis) {}

  /** @param registry when present, records are written in Confluent's wire format, their schemas registered there first */
  private static List<Feed> feeds(StreamScoreConfig config, Map<String, long[]> published, Optional<SchemaRegistryClient> registry) {
    List<Feed> feeds = new ArrayList<>();
    List<SourceDefinition> sources = config.sources();
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition source = sources.get(i);
      Schema schema = SchemaFiles.read("source." + source.name() + ".schema", source.schema());
      UnaryOperator<byte[]> encoding = UnaryOperator.identity();
      if (registry.isPresent()) {
        List<Schema> versions = new ArrayList<>();
        source.writerSchemas().forEach(p -> versions.add(SchemaFiles.read("source." + source.name() + ".writer.schemas", p)));
        versions.add(schema);
        encoding = SingleObjectReframer.register(registry.get(), source.topics().get(0) + "-value", versions)::reframe;
      }
      feeds.add(new Feed(source.name(), source.topics().get(0), schema, SyntheticRecords.forSchema(schema, 1000L + i, 0.1).orElseThrow(() ->
          new IllegalArgumentException("the demo publishes synthetic records for the demo schemas only; source '" + source.name() + "' uses "
              + schema.getFullName())), encoding));
      published.put(source.name(), new long[2]);
    }
    return feeds;
  }

  /** Publishes every source's good and bad records at once, interleaved: the backlog. Returns the number sent. */
  private long publish(KafkaProducer<byte[], byte[]> producer, List<Feed> feeds, Map<String, long[]> published, PredictionTally tally,
      boolean confluent) throws Exception {
    long sent = 0;
    Random random = new Random(7);
    Progress progress = new Progress(System.out);
    long total = (long) feeds.size() * (recordsPerSource + 3L * badRecordsPerSource);
    for (int n = 0; n < recordsPerSource; n++) {
      for (Feed feed : feeds) {
        SyntheticRecords.KeyedBytes record = feed.generator().next();
        producer.send(new ProducerRecord<>(feed.topic(), record.key(), feed.encoding().apply(record.value())));
        published.get(feed.source())[0]++;
        sent++;
      }
      if (n % 5_000 == 0) {
        progress.print(sent, total, tally);
      }
    }
    for (Feed feed : feeds) {
      for (int b = 0; b < badRecordsPerSource; b++) {
        List<byte[]> bads = confluent ? badConfluentRecords(feed.encoding().apply(feed.generator().next().value()), random)
            : badRecords(feed.generator().next().value(), feed.schema(), random);
        for (byte[] bad : bads) {
          producer.send(new ProducerRecord<>(feed.topic(), ("bad-" + b).getBytes(StandardCharsets.UTF_8), bad));
          published.get(feed.source())[1]++;
          sent++;
        }
      }
    }
    producer.flush();
    return sent;
  }

  /** Publishes good records round-robin over the sources at --paced-rate for --paced-seconds; returns the number sent. */
  private long publishPaced(KafkaProducer<byte[], byte[]> producer, List<Feed> feeds, Map<String, long[]> published) {
    long start = System.nanoTime();
    long total = (long) pacedRate * pacedSeconds;
    for (long n = 0; n < total; n++) {
      long due = start + n * 1_000_000_000L / pacedRate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait); // the publishing schedule, not a synchronisation
      }
      Feed feed = feeds.get((int) (n % feeds.size()));
      SyntheticRecords.KeyedBytes record = feed.generator().next();
      producer.send(new ProducerRecord<>(feed.topic(), record.key(), feed.encoding().apply(record.value())));
      published.get(feed.source())[0]++;
    }
    producer.flush();
    return total;
  }

  /** Waits, printing progress, until {@code sent} records came back as predictions or dead letters, or the deadline. */
  private static void awaitAnswers(PrintStream out, PredictionTally tally, long sent, long deadline) throws InterruptedException {
    Progress progress = new Progress(out);
    while (tally.total() < sent && System.nanoTime() < deadline) {
      progress.print(sent, sent, tally);
      Thread.sleep(250); // The progress line's refresh interval; completion is checked on each pass.
    }
    progress.print(sent, sent, tally);
    progress.end();
  }

  /** Garbage bytes, a truncated record, and a record whose schema id the registry does not have. */
  private static List<byte[]> badConfluentRecords(byte[] good, Random random) {
    byte[] garbage = new byte[24];
    random.nextBytes(garbage);
    garbage[0] = 0x17; // neither format: random bytes could start like either
    byte[] truncated = java.util.Arrays.copyOf(good, 12);
    byte[] unknownId = good.clone();
    java.nio.ByteBuffer.wrap(unknownId, 1, 4).putInt(Integer.MAX_VALUE);
    return List.of(garbage, truncated, unknownId);
  }

  /** Garbage bytes, a truncated record, and a record written with a schema StreamScore does not know. */
  private static List<byte[]> badRecords(byte[] good, Schema schema, Random random) throws Exception {
    byte[] garbage = new byte[24];
    random.nextBytes(garbage);
    byte[] truncated = java.util.Arrays.copyOf(good, 12);
    Schema unknown = SchemaBuilder.record(schema.getName()).namespace(schema.getNamespace())
        .fields().requiredString("surprise_field").endRecord();
    GenericRecord record = new GenericData.Record(unknown);
    record.put("surprise_field", "written by a producer with an unregistered schema");
    var buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), unknown).encode(record);
    byte[] unknownSchema = new byte[buffer.remaining()];
    buffer.get(unknownSchema);
    return List.of(garbage, truncated, unknownSchema);
  }

  private static void printSummary(PrintStream out, StreamScoreConfig config, WarmupReport warmup, Map<String, long[]> published,
      PredictionTally tally, long publishStart, long sent, Backlog backlog) {
    out.println();
    out.println("=== StreamScore demo summary ===");
    out.printf(Locale.ROOT, "%-10s %10s %10s %12s %14s %10s%n", "source", "published", "bad", "predictions", "dead-lettered", "balanced");
    published.forEach((source, counts) -> out.printf(Locale.ROOT, "%-10s %10d %10d %12d %14d %10s%n", source, counts[0] + counts[1],
        counts[1], tally.predictions(source), tally.deadLetters(source),
        counts[0] + counts[1] == tally.predictions(source) + tally.deadLetters(source) ? "yes" : "NO"));
    out.printf(Locale.ROOT, "%-10s %10d %10s %12d %14d%n", "total", sent, "", tally.totalPredictions(), tally.totalDeadLetters());
    out.printf(Locale.ROOT, "duplicate predictions: %d%n", tally.duplicates());
    out.println("predictions by model version: " + tally.byModelVersion().entrySet().stream()
        .map(e -> "v" + e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
    double seconds = Math.max(1, backlog.lastAppendTime() - publishStart) / 1000.0;
    out.printf(Locale.ROOT, "throughput: %.0f records/s (the backlog: %d records from first publish to last output, %.1f s, %d stream threads)%n",
        backlog.answered() / seconds, backlog.answered(), seconds, config.numStreamThreads());
    out.printf(Locale.ROOT, "backlog latency (input timestamp -> prediction appended, including the wait behind the records published"
        + " before it): p50 %d ms, p99 %d ms, max %d ms%n", backlog.p50Millis(), backlog.p99Millis(), backlog.maxMillis());
    if (tally.pacedPredictions() > 0) {
      out.printf(Locale.ROOT, "service latency (the same, for %d records published at a steady rate after the backlog: what StreamScore"
          + " adds, commit interval included): p50 %d ms, p99 %d ms, max %d ms%n", tally.pacedPredictions(), tally.pacedLatencyPercentile(50),
          tally.pacedLatencyPercentile(99), tally.pacedLatencyPercentile(100));
    }
    out.printf(Locale.ROOT, "model call that scored each record (shared session, %s): p50 %d µs, p99 %d µs%n",
        config.batching() ? "batches of up to " + config.batchMaxRows() + " records" : "one record per call",
        tally.modelCallPercentile(50), tally.modelCallPercentile(99));
    Prediction first = tally.firstScored();
    out.printf(Locale.ROOT, "model: loaded in %d ms; %s; first record's model call %s%n", warmup.loadTime().toMillis(),
        warmup.calls() == 0 ? "warm-up OFF" : String.format(Locale.ROOT, "warm-up %d calls (batches of %s%s) in %d ms, its first (cold) call %.2f ms",
            warmup.calls(), warmup.rowsFrom().name().toLowerCase(Locale.ROOT).replace('_', ' '),
            warmup.placeholdersRejected().isPresent() ? ", REJECTED by the model: see the warning" : "",
            warmup.warmupTime().toMillis(), warmup.firstCall().toNanos() / 1e6),
        first == null ? "n/a" : String.format(Locale.ROOT, "%.2f ms", first.getScoringMicros() / 1000.0));
    out.printf(Locale.ROOT, "memory: StreamScore process RSS %d MB, heap used %d MB (the embedded broker runs in its own JVM)%n",
        residentMb(), (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024));
    if (!tally.reasons().isEmpty()) {
      out.println("dead-letter reasons:");
      tally.reasons().forEach((reason, count) -> out.printf(Locale.ROOT, "  %5d  %s%n", count, reason));
    }
    out.println("sample prediction per source:");
    tally.samples().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.println("  " + e.getKey() + ": " + describe(e.getValue())));
  }

  private static long residentMb() {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  static String describe(Prediction p) {
    String outputs = p.getOutputs().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + values(e.getValue())).collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%s/%d@%d model %s v%d {%s} in %d µs", p.getTopic(), p.getPartition(), p.getOffset(),
        p.getModelName(), p.getModelVersion(), outputs, p.getScoringMicros());
  }

  private static String values(OutputTensor t) {
    List<?> values = !t.getFloats().isEmpty() ? t.getFloats().stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).toList()
        : !t.getIntegers().isEmpty() ? t.getIntegers() : t.getStrings();
    return values.size() == 1 ? String.valueOf(values.get(0)) : values.toString();
  }

  /** The live progress line: rewritten in place on a terminal, one line every few seconds otherwise. */
  private static final class Progress {
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private long lastPrint;

    Progress(PrintStream out) {
      this.out = out;
    }

    void print(long published, long total, PredictionTally tally) {
      long now = System.currentTimeMillis();
      if (!terminal && now - lastPrint < 3_000) {
        return;
      }
      lastPrint = now;
      String line = String.format(Locale.ROOT, "published %d/%d | predictions %d | dead-lettered %d | p99 %d ms",
          published, total, tally.totalPredictions(), tally.totalDeadLetters(), tally.latencyPercentile(99));
      if (terminal) {
        out.print("\r" + line + "   ");
      } else {
        out.println(line);
      }
      out.flush();
    }

    void end() {
      if (terminal) {
        out.println();
      }
    }
  }
}
