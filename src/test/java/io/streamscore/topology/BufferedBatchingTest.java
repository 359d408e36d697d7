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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class BufferedBatchingTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final String TERMINAL = "payments.card-terminal";

  private final StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers", "unused:9092"));
  private final FakeScorer scorer = new FakeScorer();

  private TopologyTestDriver driver(int maxRows, Duration flushInterval) {
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature());
    return new TopologyTestDriver(ScoringTopology.buildBuffered(sources, scorer, config.outputTopic(), config.deadLetterTopic(),
        Clock.fixed(NOW, ZoneOffset.UTC), ShadowSink.NONE, ScoringListener.NONE, maxRows, flushInterval),
        config.streamsProperties("unused:9092"));
  }

  private static void send(TopologyTestDriver driver, String key, double amount) throws Exception {
    TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TERMINAL, new ByteArraySerializer(), new ByteArraySerializer());
    input.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), bytes(terminal(amount).toByteBuffer()), NOW));
  }

  private static List<TestRecord<byte[], byte[]>> read(TopologyTestDriver driver, String topic) {
    TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    return out.readRecordsToList();
  }

  private static Prediction decode(TestRecord<byte[], byte[]> record) throws Exception {
    return Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
  }

  private static long pending(TopologyTestDriver driver) {
    KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(ScoringTopology.PENDING_STORE_NAME);
    return store.approximateNumEntries();
  }

  @Test
  void recordsWaitInTheStoreUntilABatchIsFullThenGoOutInOneModelCallInOffsetOrder() throws Exception {
    try (TopologyTestDriver driver = driver(4, Duration.ofMinutes(1))) {
      send(driver, "a", 1);
      send(driver, "b", 2);
      send(driver, "c", 3);
      assertEquals(List.of(), read(driver, config.outputTopic()), "nothing is scored before the batch is full");
      assertEquals(0, scorer.calls());
      assertEquals(3, pending(driver), "the waiting records are in the changelogged store, not only in memory");

      send(driver, "d", 4);

      List<TestRecord<byte[], byte[]>> out = read(driver, config.outputTopic());
      assertEquals(4, out.size());
      assertEquals(1, scorer.calls(), "one model call for the batch");
      for (int i = 0; i < 4; i++) {
        Prediction p = decode(out.get(i));
        assertEquals(i, p.getOffset(), "offset order kept");
        assertEquals(List.of(i + 1.0), p.getOutputs().get("amount_echo").getFloats(), "each record gets its own prediction");
        assertArrayEquals(new String[] {"a", "b", "c", "d"}[i].getBytes(StandardCharsets.UTF_8), out.get(i).key());
        assertEquals(NOW, out.get(i).getRecordTime(), "the prediction keeps the input's timestamp");
      }
      assertEquals(0, pending(driver));
    }
  }

  @Test
  void aPartialBatchIsScoredOnTheWallClockFlush() throws Exception {
    try (TopologyTestDriver driver = driver(64, Duration.ofMillis(5))) {
      send(driver, "a", 1);
      send(driver, "b", 2);
      assertEquals(List.of(), read(driver, config.outputTopic()));

      driver.advanceWallClockTime(Duration.ofMillis(5));

      List<TestRecord<byte[], byte[]>> out = read(driver, config.outputTopic());
      assertEquals(2, out.size());
      assertEquals(1, scorer.calls());
      assertEquals(0, decode(out.get(0)).getOffset());
      assertEquals(1, decode(out.get(1)).getOffset());
    }
  }

  @Test
  void aRecordTheModelRejectsIsDeadLetteredAndTheRestOfItsBatchIsScored() throws Exception {
    try (TopologyTestDriver driver = driver(3, Duration.ofMinutes(1))) {
      send(driver, "a", 1);
      send(driver, "bad", FakeScorer.FAILING_AMOUNT);
      send(driver, "c", 3);

      List<TestRecord<byte[], byte[]>> out = read(driver, config.outputTopic());
      assertEquals(List.of(0L, 2L), List.of(decode(out.get(0)).getOffset(), decode(out.get(1)).getOffset()));
      List<TestRecord<byte[], byte[]>> dead = read(driver, config.deadLetterTopic());
      assertEquals(1, dead.size());
      TestRecord<byte[], byte[]> letter = dead.get(0);
      assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8), letter.key());
      assertArrayEquals(bytes(terminal(FakeScorer.FAILING_AMOUNT).toByteBuffer()), letter.value(), "the original bytes, untouched");
      String message = new String(letter.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8);
      assertTrue(message.contains("refuses"), message);
      assertEquals(TERMINAL, new String(letter.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8));
      assertEquals("1", new String(letter.headers().lastHeader("__streams.errors.offset").value(), StandardCharsets.UTF_8));
      assertEquals(0, pending(driver));
    }
  }

  @Test
  void anUndecodableRecordIsDeadLetteredAtOnceAndNeverStored() throws Exception {
    try (TopologyTestDriver driver = driver(3, Duration.ofMinutes(1))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TERMINAL, new ByteArraySerializer(), new ByteArraySerializer());
      input.pipeInput("junk".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

      assertEquals(1, read(driver, config.deadLetterTopic()).size());
      assertEquals(0, pending(driver));
    }
  }

  @Test
  void pendingRecordsKeepKeyValueTimestampAndHeaders() throws Exception {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("trace", new byte[] {7});
    byte[] value = PendingRecord.storeValue(null, new byte[] {1, 2}, 99L, headers);
    PendingRecord read = PendingRecord.read(PendingRecord.storeKey("t", 3, 1L << 40), value);

    assertEquals("t", read.topic());
    assertEquals(3, read.partition());
    assertEquals(1L << 40, read.offset());
    assertEquals(null, read.key());
    assertArrayEquals(new byte[] {1, 2}, read.value());
    assertEquals(99L, read.timestamp());
    assertArrayEquals(new byte[] {7}, read.headers().lastHeader("trace").value());
    assertTrue(PendingRecord.storeKey("t", 3, 255).compareTo(PendingRecord.storeKey("t", 3, 256)) < 0, "offset order is key order");
  }
}
