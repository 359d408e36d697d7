package io.streamscore.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.app.TopicAdmin;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.FakeScorer;
import io.streamscore.support.RunSettings;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract {@link io.streamscore.topology.internals.PreCommitHook} rests on, checked against a
 * real broker: Kafka Streams drains the batch before it sends any offset, on a regular commit, on
 * a rebalance's revocation and on a clean close. Batches are far larger than the input and there
 * is no wall-clock flush, so only the hook ever scores a record. The clients are wrapped: at every
 * {@code commitSync} (at_least_once) and {@code sendOffsetsToTransaction} (exactly_once_v2), every
 * input below a committed offset must already have had its prediction sent. If an upgrade stops
 * calling the hook, or calls it after the offsets, this test fails.
 */
class PreCommitDrainIntegrationTest {
  private static final int RECORDS = 2_000;
  private static final int PARTITIONS = 4;

  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  /** Inputs whose prediction the stream threads have sent, as "topic/partition@offset". */
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  /** Offsets committed for an input with no prediction sent yet: the contract broken. */
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> commits = java.util.Collections.synchronizedList(new ArrayList<>());

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
  void shouldDrainTheBatchBeforeEveryOffsetCommitOnARegularCommitARevocationAndAClose(String guarantee) throws Exception {
    // 1. The regular commit: every 200 ms.
    String run = RunSettings.newRun();
    StreamScoreConfig config = config(run, guarantee, "200");
    createTopics(config);
    Map<String, Integer> predictions;
    try (KafkaStreams streams = start(config)) {
      publish(config, RECORDS);
      predictions = awaitPredictions(config, RECORDS);
    }
    assertEquals(RECORDS, predictions.size(), "the regular commit's hook scored every record");
    assertTrue(commits.size() > 0);
    assertEquals(List.of(), violations, "no offset committed before its record's prediction was sent");

    // 2. A revocation and a close: no regular commit within the test (10 min interval), so nothing is scored until a second
    // instance joins (the first revokes the tasks that move) and until the first closes.
    sent.clear();
    commits.clear();
    String run2 = RunSettings.newRun();
    StreamScoreConfig hourly = config(run2, guarantee, "600000");
    createTopics(hourly);
    KafkaStreams first = start(hourly);
    KafkaStreams second = null;
    try {
      publish(hourly, RECORDS);
      awaitTrue(() -> processed(first) >= RECORDS, "the first instance processed every record");
      assertEquals(Set.of(), Set.copyOf(sent), "every record is pending: nothing scored before a commit");

      second = start(hourly);
      awaitTrue(() -> !sent.isEmpty(), "the revocation drained the batch");
      first.close(Duration.ofSeconds(60));
      predictions = awaitPredictions(hourly, RECORDS);
    } finally {
      first.close(Duration.ofSeconds(60));
      if (second != null) {
        second.close(Duration.ofSeconds(60));
      }
    }
    assertEquals(RECORDS, predictions.size(), "the revocation's and the close's hooks scored every record");
    assertTrue(predictions.values().stream().allMatch(n -> n == 1), "each exactly once: every one was committed once, cleanly");
    assertEquals(List.of(), violations, "no offset committed before its record's prediction was sent");
  }

  private StreamScoreConfig config(String run, String guarantee, String commitIntervalMs) {
    Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "precommit", run);
    settings.put("processing.guarantee", guarantee);
    settings.put("num.stream.threads", "2");
    settings.put("kafka.commit.interval.ms", commitIntervalMs);
    // Kafka Streams refuses a commit interval longer than the transaction timeout; the broker's
    // longest allowed is 15 minutes.
    settings.put("kafka.producer.transaction.timeout.ms", "900000");
    return ConfigLoader.load(Optional.empty(), Map.of(), settings);
  }

  private KafkaStreams start(StreamScoreConfig config) throws InterruptedException {
    FakeScorer scorer = new FakeScorer();
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature());
    Properties properties = config.streamsProperties(KAFKA.bootstrapServers(), io.streamscore.config.GroupProtocol.CLASSIC);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/precommit-" + System.nanoTime());
    KafkaStreams streams = new KafkaStreams(ScoringTopology.buildBatched(sources, scorer, config.outputTopic(), config.deadLetterTopic(),
        Clock.systemUTC(), ShadowSink.NONE, ScoringListener.NONE, 100_000, Duration.ofDays(1)), properties, new CheckingClients(config));
    streams.start();
    awaitTrue(() -> streams.state() == KafkaStreams.State.RUNNING, "Kafka Streams running");
    return streams;
  }

  private static double processed(KafkaStreams streams) {
    return streams.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("process-total") && e.getKey().group().equals("stream-thread-metrics"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
  }

  /** Checks, at each offset commit, that every input below each committed offset has its prediction sent. */
  private final class CheckingClients implements KafkaClientSupplier {
    private final DefaultKafkaClientSupplier clients = new DefaultKafkaClientSupplier();
    private final String outputTopic;

    CheckingClients(StreamScoreConfig config) {
      this.outputTopic = config.outputTopic();
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
      Producer<byte[], byte[]> producer = clients.getProducer(config);
      return proxy(Producer.class, producer, (method, args) -> {
        if (method.equals("send") && args[0] instanceof ProducerRecord<?, ?> record && record.topic().equals(outputTopic)) {
          Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap((byte[]) record.value()));
          sent.add(p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset());
        } else if (method.equals("sendOffsetsToTransaction")) {
          check(args[0]);
        }
      });
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
      Consumer<byte[], byte[]> consumer = clients.getConsumer(config);
      return proxy(Consumer.class, consumer, (method, args) -> {
        if (method.startsWith("commit") && args != null && args.length > 0 && args[0] instanceof Map) {
          check(args[0]);
        }
      });
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
      return clients.getRestoreConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
      return clients.getGlobalConsumer(config);
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
      return clients.getAdmin(config);
    }
  }

  private void check(Object offsets) {
    commits.add(1);
    @SuppressWarnings("unchecked")
    Map<TopicPartition, OffsetAndMetadata> committed = (Map<TopicPartition, OffsetAndMetadata>) offsets;
    committed.forEach((tp, next) -> {
      // Inputs come from a plain producer, so each partition's offsets are 0, 1, 2, ... with no gap.
      for (long offset = 0; offset < next.offset(); offset++) {
        if (!sent.contains(tp.topic() + "/" + tp.partition() + "@" + offset)) {
          violations.add("offset " + next.offset() + " of " + tp + " committed before the prediction of " + offset + " was sent");
          return;
        }
      }
    });
  }

  private interface Spy {
    void before(String method, Object[] args) throws Exception;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, Spy spy) {
    InvocationHandler handler = (self, method, args) -> {
      spy.before(method.getName(), args);
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static void createTopics(StreamScoreConfig config) throws Exception {
    List<String> names = new ArrayList<>();
    config.sources().forEach(s -> names.addAll(s.topics()));
    names.add(config.outputTopic());
    names.add(config.deadLetterTopic());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(names.stream().map(n -> new NewTopic(n, PARTITIONS, (short) 1)).toList()).all().get();
      TopicAdmin.awaitLeaders(admin, names);
    }
  }

  private static void publish(StreamScoreConfig config, int count) throws Exception {
    var definitions = config.sources();
    List<SyntheticRecords.Generator> generators = new ArrayList<>();
    for (var source : definitions) {
      generators.add(SyntheticRecords.forSchema(SchemaFiles.read("schema", source.schema()), 3, 0).orElseThrow());
    }
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int s = i % definitions.size();
        SyntheticRecords.KeyedBytes record = generators.get(s).next();
        sends.add(producer.send(new ProducerRecord<>(definitions.get(s).topics().get(0), record.key(), record.value())));
      }
      for (var send : sends) {
        send.get();
      }
    }
  }

  private static Map<String, Integer> awaitPredictions(StreamScoreConfig config, int expected) {
    Map<String, Integer> predictions = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.consumer(config.outputTopic())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      int seen = 0;
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
          predictions.merge(p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset(), 1, Integer::sum);
          seen++;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return predictions;
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50); // polling a condition, not synchronising on time
    }
  }
}
