package io.streamscore.app;

import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.Scorer;
import io.streamscore.model.WarmupReport;
import io.streamscore.model.WarmupRows;
import io.streamscore.model.ModelManager;
import io.streamscore.model.VersionSource;
import io.streamscore.model.ModelOptions;
import io.streamscore.shadow.ShadowScoring;
import io.streamscore.ops.Health;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.ops.OpsServer;
import io.streamscore.ops.StreamScoreMetrics;
import io.streamscore.topology.ScoringListener;
import io.streamscore.topology.ShadowSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.streamscore.model.VersionPolicy;
import io.streamscore.source.AvroLimits;
import io.streamscore.source.InputSource;
import io.streamscore.source.SampleRecords;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.ScoringTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running StreamScore: the broker it uses (its own embedded one when none is configured), the
 * shared model, and the Kafka Streams instance.
 *
 * <p>Start-up order is the point of this class: the model is loaded, warmed up and its mapping to
 * every source checked before {@link KafkaStreams#start()}, so no stream thread ever sees a cold
 * or unusable model. Shutdown runs in reverse: Kafka Streams first (its close waits for every
 * stream thread, hence for every model call), then the model, then the embedded broker.
 */
public final class StreamScoreService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamScoreService.class);

  private final StreamScoreConfig config;
  private final Optional<EmbeddedKafkaBroker> broker;
  private final String bootstrapServers;
  private final ModelManager scorer;
  private final KafkaStreams streams;
  private final Optional<Shadow> shadow;
  private final StreamScoreMetrics metrics;
  private final Optional<OpsServer> ops;
  private final GroupProtocolChoice groupProtocol;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StreamScoreService(StreamScoreConfig config, Optional<EmbeddedKafkaBroker> broker, String bootstrapServers,
      ModelManager scorer, KafkaStreams streams, Optional<Shadow> shadow, StreamScoreMetrics metrics, Optional<OpsServer> ops,
      GroupProtocolChoice groupProtocol) {
    this.groupProtocol = groupProtocol;
    this.metrics = metrics;
    this.ops = ops;
    this.config = config;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.scorer = scorer;
    this.streams = streams;
    this.shadow = shadow;
  }

  /** Shadow scoring's parts, closed in order: the queue's worker, its producer, the candidate model. */
  record Shadow(ShadowScoring scoring, KafkaProducer<byte[], byte[]> producer, ModelManager candidate) implements AutoCloseable {
    @Override
    public void close() {
      scoring.close();
      producer.close(Duration.ofSeconds(10));
      candidate.close();
    }
  }

  /**
   * Starts everything and returns once Kafka Streams has been started (it may still be rebalancing).
   *
   * @throws org.apache.kafka.common.config.ConfigException, io.streamscore.model.ModelLoadException or
   *     io.streamscore.source.MappingException naming what is wrong; nothing is left running then
   */
  public static StreamScoreService start(StreamScoreConfig config) {
    return start(config, new StopRequest());
  }

  /**
   * As above, stage by stage ({@link StartupStage}); a {@code stop} request at any moment ends
   * start-up, releases what it started, and throws {@link StopRequest.StartupStopped}. Call on the
   * thread the request may interrupt.
   */
  public static StreamScoreService start(StreamScoreConfig config, StopRequest stop) {
    stop.startupOn(Thread.currentThread());
    StreamScoreMetrics metrics = new StreamScoreMetrics();
    java.util.concurrent.atomic.AtomicReference<KafkaStreams> running = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<ModelManager> model = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Optional<SchemaRegistryClient>> registryRef =
        new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    // Up before anything slow, so probes get an answer during start-up: live, not ready, not started.
    Health health = new Health(() -> running.get() == null ? KafkaStreams.State.CREATED : running.get().state(),
        () -> model.get() != null, () -> registryRef.get().map(SchemaRegistryClient::reachable),
        () -> Optional.ofNullable(model.get()).flatMap(ModelManager::sourceStatus).map(VersionSource.Status::reachable));
    OpsServer ops = null;
    ModelManager scorer = null;
    EmbeddedKafkaBroker broker = null;
    ModelManager candidate = null;
    Shadow shadow = null;
    KafkaStreams streams = null;
    try {
      if (config.httpPort().isPresent()) {
        ops = OpsServer.start(config.httpHost(), config.httpPort().get(), metrics, health);
        log.info("Metrics on http://{}:{}/metrics; health on /health/live, /health/ready and /health/started", config.httpHost(), ops.port());
      }
      stop.enter(StartupStage.REGISTRY);
      Optional<SchemaRegistryClient> registry = RegistrySetup.connect(config);
      registryRef.set(registry);
      Optional<SchemaLookup> lookup = registry.map(r -> r);
      stop.enter(StartupStage.MODEL);
      ModelOptions primary = modelOptions(config, config.modelStoreSettings().cacheDirectory(), lookup);
      scorer = ModelStoreSetup.start(config, StreamScoreConfig.MODEL_PATH_CONFIG,
          config.modelStore().isPresent() ? Optional.empty() : Optional.of(config.modelPath()), config.modelStore(), config.modelName(), primary);
      if (config.shadowEnabled()) {
        candidate = ModelStoreSetup.start(config, StreamScoreConfig.SHADOW_MODEL_PATH_CONFIG, config.shadowModelPath(),
            config.shadowModelStore(), "", primary.withVersionPolicy(new VersionPolicy(config.shadowModelVersion()), primary.pollInterval()));
        if (!candidate.model().signature().inputs().equals(scorer.model().signature().inputs())) {
          throw new org.apache.kafka.common.config.ConfigException(StreamScoreConfig.SHADOW_MODEL_PATH_CONFIG,
              config.getString(StreamScoreConfig.SHADOW_MODEL_PATH_CONFIG), "the candidate's inputs " + candidate.model().signature().inputs()
              + " differ from the primary model's " + scorer.model().signature().inputs() + "; shadow scoring feeds both the same rows");
        }
      }
      AvroLimits.apply(config.maxStringLength(), config.maxBytesLength(), config.maxCollectionItems());
      SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature(), config.maxRecordBytes(), lookup);
      log.info("{}", ModelReport.render(scorer, config.sources(), new VersionPolicy(config.modelVersion()).toString()));
      PredictionEncoder encoder = RegistrySetup.encoder(config, registry, config.outputTopic());
      stop.enter(StartupStage.BROKER);
      String bootstrap;
      if (config.bootstrapServers().isPresent()) {
        bootstrap = config.bootstrapServers().get();
      } else {
        broker = config.embeddedBrokerDir()
            .map(dir -> EmbeddedKafkaBroker.start(dir, false, java.util.Map.of()))
            .orElseGet(EmbeddedKafkaBroker::start);
        bootstrap = broker.bootstrapServers();
      }
      KafkaAccessCheck.login(config, bootstrap);
      if (config.createTopics()) {
        stop.enter(StartupStage.TOPICS);
        TopicAdmin.createMissing(config, bootstrap);
      }
      stop.enter(StartupStage.ACCESS);
      KafkaAccessCheck.verify(config, bootstrap);
      GroupProtocolChoice protocol;
      org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config.clientProperties(bootstrap));
      try {
        protocol = GroupProtocolChoice.ask(config, admin);
      } finally {
        admin.close(Duration.ZERO); // at once: a stop must not wait for a call it gave up on
      }
      log.info(protocol.logLine());
      stop.enter(StartupStage.KAFKA_WARMUP);
      if (config.warmupEnabled()) {
        log.info(KafkaPathWarmup.run(config, bootstrap, protocol.protocol(), scorer, encoder, lookup, stop).logLine());
      }
      stop.enter(StartupStage.JOINING);
      if (candidate != null) {
        java.util.Properties producerConfig = config.clientProperties(bootstrap);
        producerConfig.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, "20");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        shadow = new Shadow(new ShadowScoring(candidate, producer, config.shadowTopic(), config.shadowQueueCapacity(), Clock.systemUTC(),
            RegistrySetup.encoder(config, registry, config.shadowTopic())), producer, candidate);
        log.info("Shadow scoring with {} version {} into {}", candidate.model().name(), candidate.model().version(), config.shadowTopic());
      }
      metrics.bindModel(scorer);
      metrics.bindModelStore(scorer, "primary");
      if (candidate != null) {
        metrics.bindModelStore(candidate, "shadow");
      }
      registry.ifPresent(metrics::bindRegistry);
      Topology topology = topology(config, sources, scorer, shadow == null ? ShadowSink.NONE : shadow.scoring(), metrics, encoder);
      java.util.Properties streamsProperties = config.streamsProperties(bootstrap, protocol.protocol());
      // An object, not a string: Kafka Streams hands its configuration to DeadLetterHandler.configure().
      streamsProperties.put(ScoringListener.CONFIG_KEY, metrics);
      streams = new KafkaStreams(topology, streamsProperties);
      metrics.bindStreams(streams);
      StreamScoreService service = new StreamScoreService(config, Optional.ofNullable(broker), bootstrap, scorer, streams,
          Optional.ofNullable(shadow), metrics, Optional.ofNullable(ops), protocol);
      streams.setUncaughtExceptionHandler(e -> {
        log.error("Stream thread failed; replacing it", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      streams.setStateListener((now, before) -> {
        log.info("Kafka Streams {} -> {}", before, now);
        if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
          service.stopped.countDown();
        }
      });
      stop.checkNotRequested(); // a SIGTERM while the clients were built: do not join a group only to leave it
      model.set(scorer);
      running.set(streams);
      streams.start();
      stop.markRunning();
      log.info("StreamScore started: {} stream threads on {}, sources {}, output {}, dead letters {}", config.numStreamThreads(),
          bootstrap, config.sources().stream().map(s -> s.name()).toList(), config.outputTopic(), config.deadLetterTopic());
      return service;
    } catch (RuntimeException e) {
      // A stop request interrupted this thread; the interrupt must not cut the releases short.
      Thread.interrupted();
      if (streams != null) {
        streams.close(closeOptions(config));
      }
      if (ops != null) {
        ops.close();
      }
      metrics.close();
      if (shadow != null) {
        shadow.close();
      } else if (candidate != null) {
        candidate.close();
      }
      if (scorer != null) {
        scorer.close();
      }
      if (broker != null) {
        broker.close();
      }
      if (stop.requested() && !(e instanceof StopRequest.StartupStopped)) {
        StopRequest.StartupStopped stopped = stop.stopped();
        stopped.addSuppressed(e);
        throw stopped;
      }
      throw e;
    }
  }

  /** Close with the group left, bounded by shutdown.timeout.ms. */
  private static org.apache.kafka.streams.CloseOptions closeOptions(StreamScoreConfig config) {
    // Leave the group on close: otherwise the coordinator waits a session timeout for this
    // instance's members before handing its partitions to the others.
    return org.apache.kafka.streams.CloseOptions.timeout(config.shutdownTimeout())
        .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
  }

  public static ModelOptions modelOptions(StreamScoreConfig config) {
    return modelOptions(config, Optional.empty());
  }

  /** @param registry for sources whose reader schema is a registry subject */
  public static ModelOptions modelOptions(StreamScoreConfig config, Optional<SchemaLookup> registry) {
    return modelOptions(config, config.modelPath(), registry);
  }

  /** The model's options for versions under {@code basePath}. */
  private static ModelOptions modelOptions(StreamScoreConfig config, java.nio.file.Path basePath, Optional<SchemaLookup> registry) {
    return new ModelOptions(basePath, config.modelName(), config.modelSignature(), config.modelTags(),
        config.warmupEnabled(), config.reachableBatchSizes(), config.warmupIterations(), config.intraOpThreads(), config.interOpThreads(),
        new VersionPolicy(config.modelVersion()), config.modelPollInterval(),
        signature -> warmupRows(config, signature, registry),
        config.modelCallTimeout());
  }

  /**
   * What a version is warmed up with: what the sources will send. Their sample records, decoded and
   * mapped by their own mappings against this version's signature, and one placeholder row per
   * source.
   */
  public static WarmupRows warmupRows(StreamScoreConfig config, io.streamscore.model.ModelSignature signature) {
    return warmupRows(config, signature, Optional.empty());
  }

  /** @param registry for sources whose reader schema is a registry subject */
  public static WarmupRows warmupRows(StreamScoreConfig config, io.streamscore.model.ModelSignature signature,
      Optional<SchemaLookup> registry) {
    List<InputSource> sources = SourceRegistry.create(config.sources(), signature, Integer.MAX_VALUE, registry).sources();
    return new WarmupRows(sources.stream().flatMap(s -> SampleRecords.rows(s).stream()).toList(),
        sources.stream().map(s -> s.mapper().syntheticRow()).toList());
  }

  /** The topology the configuration asks for: batches across each stream thread's tasks, or one call per record. */
  public static Topology topology(StreamScoreConfig config, SourceRegistry sources, ModelManager model, ShadowSink shadow,
      ScoringListener listener) {
    return topology(config, sources, model, shadow, listener, PredictionEncoder.singleObject());
  }

  /** As above, writing predictions with {@code encoder} (output.format). */
  public static Topology topology(StreamScoreConfig config, SourceRegistry sources, ModelManager model, ShadowSink shadow,
      ScoringListener listener, PredictionEncoder encoder) {
    if (config.batching()) {
      return ScoringTopology.buildBatched(sources, model, config.outputTopic(), config.deadLetterTopic(), Clock.systemUTC(), shadow,
          listener, config.batchMaxRows(), config.batchFlushInterval(), encoder);
    }
    return ScoringTopology.build(sources, model, config.outputTopic(), Clock.systemUTC(), shadow, listener, encoder);
  }

  /** The group protocol this instance joined with, and why. */
  public GroupProtocolChoice groupProtocol() {
    return groupProtocol;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public StreamScoreConfig config() {
    return config;
  }

  public ModelManager scorer() {
    return scorer;
  }

  public WarmupReport warmupReport() {
    return scorer.initialWarmup();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Blocks until Kafka Streams reaches RUNNING, or the timeout passes; returns whether it did. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
        return false;
      }
      stopped.await(50, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Blocks until Kafka Streams stops by itself (fatal error) or is closed. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Shadow scoring's counters, when it is on. */
  public Optional<ShadowScoring> shadowScoring() {
    return shadow.map(Shadow::scoring);
  }

  public StreamScoreMetrics metrics() {
    return metrics;
  }

  /** The port of the metrics and health endpoint, when it is on. */
  public Optional<Integer> opsPort() {
    return ops.map(OpsServer::port);
  }

  @Override
  public void close() {
    boolean clean = streams.close(closeOptions(config));
    ops.ifPresent(OpsServer::close);
    metrics.close();
    shadow.ifPresent(Shadow::close);
    if (!clean) {
      log.warn("Kafka Streams did not stop within {}={} ms; exiting anyway (an open transaction is aborted and its records are"
          + " scored again by the partition's next owner). The model stays open so no running call loses its session",
          StreamScoreConfig.SHUTDOWN_TIMEOUT_MS_CONFIG, config.shutdownTimeout().toMillis());
    } else {
      scorer.close();
    }
    broker.ifPresent(EmbeddedKafkaBroker::close);
    stopped.countDown();
  }
}
