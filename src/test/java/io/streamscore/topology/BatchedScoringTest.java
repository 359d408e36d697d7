package io.streamscore.topology;

import static io.streamscore.topology.ScoringTopologyTest.bytes;
import static io.streamscore.topology.ScoringTopologyTest.terminal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.FakeScorer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The batching topology under TopologyTestDriver, which commits after every record: with batches
 * far larger than the input and no wall-clock flush, only the pre-commit hook can score a record.
 * So every prediction here was forwarded from the hook, outside {@code process()}.
 */
class BatchedScoringTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final String TERMINAL = "payments.card-terminal";

  private final StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers", "unused:9092"));
  private final FakeScorer scorer = new FakeScorer();

  private TopologyTestDriver driver() {
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature());
    return new TopologyTestDriver(ScoringTopology.buildBatched(sources, scorer, config.outputTopic(), config.deadLetterTopic(),
        Clock.fixed(NOW, ZoneOffset.UTC), ShadowSink.NONE, ScoringListener.NONE, 1_000, Duration.ofDays(1)),
        config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC));
  }

  private static void send(TopologyTestDriver driver, String key, double amount, RecordHeaders headers) throws Exception {
    TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TERMINAL, new ByteArraySerializer(), new ByteArraySerializer());
    input.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), bytes(terminal(amount).toByteBuffer()), headers, NOW));
  }

  private static List<TestRecord<byte[], byte[]>> read(TopologyTestDriver driver, String topic) {
    TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    return out.readRecordsToList();
  }

  private static Prediction decode(TestRecord<byte[], byte[]> record) throws Exception {
    return Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
  }

  /**
   * The build leaves RocksDB out (pom.xml), which holds only while no store of the topology is
   * persistent: Kafka Streams loads RocksDB for persistent stores alone.
   */
  @Test
  void shouldHoldNoPersistentStateStoreSoRocksDbIsNotNeeded() {
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature());
    int seen = 0;
    for (var topology : List.of(ScoringTopology.buildBatched(sources, scorer, config.outputTopic(), config.deadLetterTopic(),
        Clock.fixed(NOW, ZoneOffset.UTC), ShadowSink.NONE, ScoringListener.NONE, 1_000, Duration.ofDays(1)),
        ScoringTopology.build(sources, scorer, config.outputTopic(), Clock.fixed(NOW, ZoneOffset.UTC)))) {
      java.util.Set<String> stores = new java.util.TreeSet<>();
      topology.describe().subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
        if (node instanceof org.apache.kafka.streams.TopologyDescription.Processor processor) {
          stores.addAll(processor.stores());
        }
      }));
      try (TopologyTestDriver driver = new TopologyTestDriver(topology, config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
        for (String store : stores) {
          assertTrue(!driver.getStateStore(store).persistent(), store + " is not persistent");
          seen++;
        }
      }
    }
    assertTrue(seen > 0, "the pre-commit hook's store is found");
    assertThrowsClassNotFound("org.rocksdb.RocksDB");
  }

  private static void assertThrowsClassNotFound(String name) {
    org.junit.jupiter.api.Assertions.assertThrows(ClassNotFoundException.class, () -> Class.forName(name),
        name + " is left out of the build, so every test here runs without it");
  }

  @Test
  void aRecordWaitingForItsBatchIsScoredAndForwardedBeforeItsOffsetIsCommitted() throws Exception {
    try (TopologyTestDriver driver = driver()) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("trace", new byte[] {7});
      send(driver, "a", 1, headers);

      List<TestRecord<byte[], byte[]>> out = read(driver, config.outputTopic());
      assertEquals(1, out.size(), "the commit after the record drained the batch");
      Prediction p = decode(out.get(0));
      assertEquals(TERMINAL, p.getTopic());
      assertEquals(0, p.getOffset());
      assertEquals(List.of(1.0), p.getOutputs().get("amount_echo").getFloats());
      assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), out.get(0).key(), "keyed as the input");
      assertEquals(NOW, out.get(0).getRecordTime(), "the prediction keeps the input's timestamp");
      assertArrayEquals(new byte[] {7}, out.get(0).headers().lastHeader("trace").value(), "and its headers");

      send(driver, "b", 2, new RecordHeaders());
      assertEquals(1, decode(read(driver, config.outputTopic()).get(0)).getOffset());
      assertEquals(List.of(1, 1), scorer.batchSizes());
    }
  }

  @Test
  void aRecordTheModelRejectsIsDeadLetteredFromTheHookWithKafkaStreamsHeaders() throws Exception {
    try (TopologyTestDriver driver = driver()) {
      send(driver, "bad", FakeScorer.FAILING_AMOUNT, new RecordHeaders());
      send(driver, "c", 3, new RecordHeaders());

      List<TestRecord<byte[], byte[]>> out = read(driver, config.outputTopic());
      assertEquals(List.of(1L), out.stream().map(r -> {
        try {
          return decode(r).getOffset();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }).toList());
      List<TestRecord<byte[], byte[]>> dead = read(driver, config.deadLetterTopic());
      assertEquals(1, dead.size());
      TestRecord<byte[], byte[]> letter = dead.get(0);
      assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8), letter.key());
      assertArrayEquals(bytes(terminal(FakeScorer.FAILING_AMOUNT).toByteBuffer()), letter.value(), "the original bytes, untouched");
      String message = new String(letter.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8);
      assertTrue(message.contains("refuses"), message);
      assertEquals(TERMINAL, new String(letter.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8));
      assertEquals("0", new String(letter.headers().lastHeader("__streams.errors.offset").value(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anUndecodableRecordIsDeadLetteredAtOnceAndNeverReachesTheModel() throws Exception {
    try (TopologyTestDriver driver = driver()) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TERMINAL, new ByteArraySerializer(), new ByteArraySerializer());
      input.pipeInput("junk".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

      assertEquals(1, read(driver, config.deadLetterTopic()).size());
      assertEquals(List.of(), read(driver, config.outputTopic()));
      assertEquals(0, scorer.calls());
    }
  }
}
