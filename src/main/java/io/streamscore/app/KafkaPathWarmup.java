package io.streamscore.app;

import io.streamscore.config.GroupProtocol;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ScoredRow;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.source.InputSource;
import io.streamscore.source.SampleRecords;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.ScoringListener;
import io.streamscore.topology.ShadowSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real topology over the sources' sample records on scratch topics of its own, before the
 * instance joins its group: so that the first real records find Kafka's own code (the consumer's
 * fetch path, the task loop, the producer, the transactions) and StreamScore's (decode, map, score,
 * encode) compiled, instead of running them interpreted while the JIT takes the pod's CPU.
 *
 * <p>Why scratch topics on the real broker and not Kafka Streams' {@code TopologyTestDriver}: the
 * driver calls the processors directly, so it warms StreamScore's code but none of the consumer's
 * fetching, the producer's sending or the transactions, which is where the first records' seconds
 * went (docs/performance.md, Start-up). The scratch run uses the instance's own settings (guarantee,
 * group protocol, security) under a scratch application id {@code <application.id>-warmup-<id>},
 * so the prefixed ACLs that Kafka Streams needs for its internal topics cover it.
 *
 * <p>Records are published a few hundred ahead of the scoring, as live traffic arrives, so the
 * consumer runs many small fetches rather than a few large ones. The run ends when {@code records}
 * were scored or the timeout passed, whichever is first; its topics and group are then deleted.
 * Warming up is an optimisation: when it cannot run (no ACL, a policy refusing the topics), start-up
 * goes on with a warning.
 */
public final class KafkaPathWarmup {
  private static final Logger log = LoggerFactory.getLogger(KafkaPathWarmup.class);
  /** Records published ahead of those scored: a few polls' worth, as live traffic arrives. */
  private static final int AHEAD = 256;
  private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(10);

  private KafkaPathWarmup() {}

  /**
   * What the run did: records published and scored, milliseconds to the first prediction and in
   * all, and how it ended ("done", "timed out", or why it was skipped).
   */
  public record Report(long published, long scored, long deadLettered, long firstScoredMillis, long tookMillis, String outcome) {
    static Report skipped(String why) {
      return new Report(0, 0, 0, -1, 0, why);
    }

    public String logLine() {
      if (published == 0) {
        return "Kafka paths not warmed: " + outcome;
      }
      return "Kafka paths warmed: " + scored + " sample records scored through the topology on scratch topics in " + tookMillis
          + " ms (first prediction after " + firstScoredMillis + " ms" + (deadLettered > 0 ? ", " + deadLettered + " dead-lettered" : "")
          + "; " + outcome + ")";
    }
  }

  public static Report run(StreamScoreConfig config, String bootstrap, GroupProtocol protocol, ModelManager scorer, PredictionEncoder encoder,
      Optional<SchemaLookup> registry, StopRequest stop) {
    if (config.startupWarmupRecords() == 0) {
      return Report.skipped(StreamScoreConfig.STARTUP_WARMUP_RECORDS_CONFIG + "=0");
    }
    String scratchId = config.applicationId() + "-warmup-" + UUID.randomUUID().toString().substring(0, 8);
    StreamScoreConfig scratch = scratchConfig(config, scratchId, protocol);
    SourceRegistry sources = SourceRegistry.create(scratch.sources(), scorer.model().signature(), scratch.maxRecordBytes(), registry);
    List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
    for (InputSource source : sources.sources()) {
      String topic = scratch.sources().stream().filter(s -> s.name().equals(source.name())).findFirst().orElseThrow().topics().get(0);
      SampleRecords.values(source).forEach(value -> samples.add(new ProducerRecord<>(topic, null, value)));
    }
    if (samples.isEmpty()) {
      return Report.skipped("no source has sample records (source.<s>.warmup.records)");
    }
    List<String> topics = new ArrayList<>(scratch.sources().stream().map(s -> s.topics().get(0)).toList());
    topics.add(scratch.outputTopic());
    topics.add(scratch.deadLetterTopic());
    long start = System.nanoTime();
    long deadline = start + config.startupWarmupTimeout().toNanos();
    try (Admin admin = Admin.create(config.clientProperties(bootstrap))) {
      try {
        admin.createTopics(topics.stream().map(t -> new NewTopic(t, Optional.of(1), Optional.empty())).toList()).all()
            .get(remaining(deadline), TimeUnit.NANOSECONDS);
        TopicAdmin.awaitLeaders(admin, topics);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthorizationException || e.getCause() instanceof PolicyViolationException) {
          log.warn("Kafka paths not warmed: the scratch topics {} cannot be created ({}); the first records will run cold. Grant"
              + " CREATE and DELETE on topics prefixed '{}' (as Kafka Streams' internal topics need), or set {}=0", topics,
              e.getCause().getMessage(), config.applicationId(), StreamScoreConfig.STARTUP_WARMUP_RECORDS_CONFIG);
          deleteQuietly(admin, topics, scratchId, protocol);
          return Report.skipped("scratch topics refused: " + e.getCause().getMessage());
        }
        throw new IllegalStateException("cannot create the warm-up's scratch topics " + topics + ": " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        deleteQuietly(admin, topics, scratchId, protocol);
        return Report.skipped("its scratch topics were not ready within " + StreamScoreConfig.STARTUP_WARMUP_TIMEOUT_MS_CONFIG);
      }
      if (protocol == GroupProtocol.STREAMS) {
        noInitialDelay(admin, scratchId);
      }
      try {
        return score(config, scratch, bootstrap, protocol, scorer, encoder, sources, samples, start, deadline, stop);
      } finally {
        boolean interrupted = Thread.interrupted(); // a stop request must not keep the scratch topics
        deleteQuietly(admin, topics, scratchId, protocol);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stop.stopped();
    }
  }

  private static Report score(StreamScoreConfig config, StreamScoreConfig scratch, String bootstrap, GroupProtocol protocol,
      ModelManager scorer, PredictionEncoder encoder, SourceRegistry sources, List<ProducerRecord<byte[], byte[]>> samples, long start,
      long deadline, StopRequest stop) throws InterruptedException {
    AtomicLong scored = new AtomicLong();
    AtomicLong deadLettered = new AtomicLong();
    AtomicLong firstScored = new AtomicLong(-1);
    ScoringListener counter = new ScoringListener() {
      @Override
      public void scored(String source, ScoredRow row, int batchSize) {
        if (scored.incrementAndGet() == 1) {
          firstScored.set(System.nanoTime());
        }
      }

      @Override
      public void deadLettered(String topic, Exception reason) {
        deadLettered.incrementAndGet();
      }
    };
    Properties properties = scratch.streamsProperties(bootstrap, protocol);
    properties.put(ScoringListener.CONFIG_KEY, counter);
    KafkaStreams streams = new KafkaStreams(StreamScoreService.topology(scratch, sources, scorer, ShadowSink.NONE, counter, encoder),
        properties);
    Properties producerConfig = config.clientProperties(bootstrap);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    long target = config.startupWarmupRecords();
    long published = 0;
    String outcome;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      streams.start();
      while (true) {
        if (Thread.currentThread().isInterrupted() || stop.requested()) {
          throw new InterruptedException("stop requested");
        }
        long done = scored.get() + deadLettered.get();
        if (done >= target) {
          outcome = "done";
          break;
        }
        if (System.nanoTime() > deadline) {
          outcome = "stopped at " + StreamScoreConfig.STARTUP_WARMUP_TIMEOUT_MS_CONFIG + "=" + config.startupWarmupTimeout().toMillis();
          break;
        }
        if (!streams.state().isRunningOrRebalancing()) {
          outcome = "the scratch Kafka Streams stopped (" + streams.state() + ")";
          break;
        }
        if (published < target && published - done < AHEAD) {
          ProducerRecord<byte[], byte[]> sample = samples.get((int) (published % samples.size()));
          producer.send(new ProducerRecord<>(sample.topic(), ByteBuffer.allocate(8).putLong(published).array(), sample.value()));
          published++;
        } else {
          producer.flush();
          LockSupport.parkNanos(200_000); // the stream thread is scoring what was sent; a short back-off, not a synchronisation
        }
      }
    } finally {
      boolean interrupted = Thread.interrupted(); // close even when a stop request interrupted the run
      streams.close(CloseOptions.timeout(CLEANUP_TIMEOUT).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      streams.cleanUp();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    long first = firstScored.get() < 0 ? -1 : (firstScored.get() - start) / 1_000_000;
    return new Report(published, scored.get(), deadLettered.get(), first, (System.nanoTime() - start) / 1_000_000, outcome);
  }

  /**
   * The instance's configuration with its names swapped for scratch ones: each source reads one
   * scratch topic (a pattern source too), output and dead letters go to scratch topics, one stream
   * thread, no shadow scoring, no HTTP endpoint.
   */
  static StreamScoreConfig scratchConfig(StreamScoreConfig config, String scratchId, GroupProtocol protocol) {
    Map<String, String> values = new HashMap<>();
    config.originalsStrings().forEach((k, v) -> {
      boolean topicKey = k.startsWith(StreamScoreConfig.SOURCE_PREFIX) && (k.endsWith("." + StreamScoreConfig.SOURCE_TOPICS)
          || k.endsWith("." + StreamScoreConfig.SOURCE_TOPIC_PATTERN));
      if (!topicKey) {
        values.put(k, v);
      }
    });
    for (SourceDefinition source : config.sources()) {
      values.put(StreamScoreConfig.SOURCE_PREFIX + source.name() + "." + StreamScoreConfig.SOURCE_TOPICS, scratchId + "-" + source.name());
    }
    values.put(StreamScoreConfig.APPLICATION_ID_CONFIG, scratchId);
    values.put(StreamScoreConfig.OUTPUT_TOPIC_CONFIG, scratchId + "-predictions");
    values.put(StreamScoreConfig.DEAD_LETTER_TOPIC_CONFIG, scratchId + "-dead-letters");
    values.put(StreamScoreConfig.NUM_STREAM_THREADS_CONFIG, "1");
    values.put(StreamScoreConfig.GROUP_PROTOCOL_CONFIG, protocol.configValue());
    values.put(StreamScoreConfig.SHADOW_MODEL_PATH_CONFIG, "");
    if (config.modelStore().isEmpty()) {
      // The store's keys were there for the shadow candidate alone, which the scratch run leaves out.
      List.of(StreamScoreConfig.MODEL_S3_ENDPOINT_CONFIG, StreamScoreConfig.MODEL_S3_PATH_STYLE_CONFIG, StreamScoreConfig.MODEL_S3_REGION_CONFIG,
          StreamScoreConfig.MODEL_CACHE_DIR_CONFIG).forEach(values::remove);
    }
    values.put(StreamScoreConfig.HTTP_PORT_CONFIG, "-1");
    return new StreamScoreConfig(values);
  }

  /**
   * A new streams group waits {@code group.streams.initial.rebalance.delay.ms} (3 s by default) for
   * more members; the scratch group has one, so it asks for none. Best effort: without the ACL to
   * alter the group's configuration the run waits the broker's delay.
   */
  private static void noInitialDelay(Admin admin, String group) throws InterruptedException {
    try {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(new AlterConfigOp(
          new ConfigEntry("streams.initial.rebalance.delay.ms", "0"), AlterConfigOp.OpType.SET)))).all().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("The scratch group keeps the broker's initial rebalance delay: {}", e.toString());
    }
  }

  private static void deleteQuietly(Admin admin, List<String> topics, String group, GroupProtocol protocol) {
    try {
      admin.deleteTopics(topics).all().get(CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      log.warn("The warm-up's scratch topics {} were not all deleted ({}); delete them by hand", topics, e.toString());
    }
    try {
      if (protocol == GroupProtocol.STREAMS) {
        admin.deleteStreamsGroups(List.of(group)).all().get(CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        admin.deleteConsumerGroups(List.of(group)).all().get(CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      log.debug("The warm-up's scratch group {} was not deleted: {}", group, e.toString());
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }
}
