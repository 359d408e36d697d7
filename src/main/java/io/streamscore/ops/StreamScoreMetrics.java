package io.streamscore.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ScoredRow;
import io.streamscore.topology.ScoringListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * StreamScore's meters, in one Prometheus registry: records scored per source, dead letters per
 * reason, model call latency, batch sizes, the model version in use, load and warm-up time, refused
 * versions, process memory, the JVM's and Kafka Streams' own client metrics.
 *
 * <p>Thread-safe: stream threads record into it while the HTTP server scrapes it.
 */
public final class StreamScoreMetrics implements ScoringListener, AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> scoredBySource = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Timer modelCall;
  private final DistributionSummary batchSize;
  private KafkaStreamsMetrics streamsMetrics;

  public StreamScoreMetrics() {
    modelCall = Timer.builder("streamscore.model.call").description("Duration of the model call that scored a record")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(0).plusNanos(20_000))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    batchSize = DistributionSummary.builder("streamscore.model.batch.size").description("Rows in the model call that scored each record (one sample per record)")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(4096.0).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Gauge.builder("streamscore.process.resident.memory", StreamScoreMetrics::residentBytes).baseUnit("bytes")
        .description("Resident set size of this process (includes TensorFlow's native memory)").register(registry);
  }

  @Override
  public void scored(String source, ScoredRow row, int batch) {
    scoredBySource.computeIfAbsent(source, s -> Counter.builder("streamscore.records.scored").tag("source", s)
        .description("Records scored, by source").register(registry)).increment();
    modelCall.record(Duration.ofNanos(row.callMicros() * 1_000));
    batchSize.record(batch);
  }

  @Override
  public void deadLettered(String topic, Exception reason) {
    String kind = reason.getClass().getSimpleName();
    deadLetters.computeIfAbsent(List.of(topic, kind), k -> Counter.builder("streamscore.records.dead.lettered")
        .tag("topic", topic).tag("reason", kind).description("Records sent to the dead-letter topic, by input topic and reason")
        .register(registry)).increment();
  }

  /** The served model: version as an info metric, load and warm-up time, swaps and refused versions. */
  public void bindModel(ModelManager model) {
    MultiGauge info = MultiGauge.builder("streamscore.model.info").description("The model version being served (value 1)").register(registry);
    info.register(infoRow(model), true);
    java.util.concurrent.atomic.AtomicLong labelled = new java.util.concurrent.atomic.AtomicLong(model.model().version());
    Gauge.builder("streamscore.model.version", model, m -> {
      long version = m.model().version();
      // Relabel the info metric only when a hot swap changed the version: re-registering it on
      // every scrape would remove it from the registry while that very scrape reads it.
      if (labelled.getAndSet(version) != version) {
        info.register(infoRow(m), true);
      }
      return version;
    }).description("The model version being served").register(registry);
    Gauge.builder("streamscore.model.load", model, m -> m.initialWarmup().loadTime().toNanos() / 1e9).baseUnit("seconds")
        .description("Time to load the model served at start-up").register(registry);
    Gauge.builder("streamscore.model.warmup", model, m -> m.initialWarmup().warmupTime().toNanos() / 1e9).baseUnit("seconds")
        .description("Warm-up time of the model served at start-up").register(registry);
    FunctionCounter.builder("streamscore.model.swaps", model, ModelManager::swaps).description("Versions swapped in").register(registry);
    FunctionCounter.builder("streamscore.model.versions.refused", model, m -> m.refusals().size())
        .description("Versions refused (failed to load or warm up, or inputs no longer fit)").register(registry);
    FunctionCounter.builder("streamscore.model.warmup.placeholders.rejected", model, ModelManager::placeholderWarmupRejections)
        .description("Versions served although they rejected StreamScore's placeholder warm-up values; give sample records")
        .register(registry);
  }

  private static List<MultiGauge.Row<?>> infoRow(ModelManager model) {
    return List.of(MultiGauge.Row.of(Tags.of("model", model.model().name(), "version", Long.toString(model.model().version())), 1));
  }

  /** Kafka Streams' own client metrics (consumer lag, process rate, commit latency, ...). */
  /** Requests to the schema registry, failed attempts, cache hits, and whether the last request got an answer. */
  /**
   * The store a model's versions come from, tagged with the model's name and role ({@code primary}
   * or {@code shadow}); nothing for a model read from a local directory.
   */
  public void bindModelStore(ModelManager model, String role) {
    if (model.sourceStatus().isEmpty()) {
      return;
    }
    String name = model.model().name();
    Gauge.builder("streamscore.model.store.reachable", model, m -> m.sourceStatus().map(s -> s.reachable() ? 1.0 : 0.0).orElse(1.0))
        .description("Whether the model store answered the last listing (1) or not (0); the served version goes on either way")
        .tag("model", name).tag("role", role).register(registry);
    FunctionCounter.builder("streamscore.model.store.poll.errors", model, m -> m.sourceStatus().map(s -> s.failedPolls()).orElse(0L))
        .description("Listings of the model store that failed").tag("model", name).tag("role", role).register(registry);
    FunctionCounter.builder("streamscore.model.store.downloads", model, m -> m.sourceStatus().map(s -> s.versionsDownloaded()).orElse(0L))
        .description("Model versions downloaded from the store").tag("model", name).tag("role", role).register(registry);
    FunctionCounter.builder("streamscore.model.store.downloaded", model, m -> m.sourceStatus().map(s -> s.bytesDownloaded()).orElse(0L))
        .baseUnit("bytes").description("Bytes of model versions downloaded from the store").tag("model", name).tag("role", role).register(registry);
    Gauge.builder("streamscore.model.store.versions.waiting", model, m -> m.sourceStatus().map(s -> s.versionsWaiting()).orElse(0))
        .description("Versions in the store not complete yet (no _COMPLETE marker, or files missing)").tag("model", name).tag("role", role).register(registry);
  }

  public void bindRegistry(io.streamscore.registry.SchemaRegistryClient client) {
    FunctionCounter.builder("streamscore.schema.registry.requests", client, c -> c.requests())
        .description("Schema registry requests (a request may make several attempts)").register(registry);
    FunctionCounter.builder("streamscore.schema.registry.errors", client, c -> c.failedAttempts())
        .description("Schema registry attempts that failed: network errors, timeouts and HTTP error statuses").register(registry);
    FunctionCounter.builder("streamscore.schema.registry.cache.hits", client, c -> c.cacheHits())
        .description("Writer schemas found in the cache by id, with no request").register(registry);
    Gauge.builder("streamscore.schema.registry.reachable", client, c -> c.reachable() ? 1 : 0)
        .description("1 when the last schema registry request got an answer").register(registry);
  }

  public void bindStreams(KafkaStreams streams) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
  }

  /** The current metrics in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  private static double residentBytes() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(Double.NaN);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    registry.close();
  }
}
