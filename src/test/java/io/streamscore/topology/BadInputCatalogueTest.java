package io.streamscore.topology;

import static io.streamscore.topology.ScoringTopologyTest.bytes;
import static io.streamscore.topology.ScoringTopologyTest.terminal;
import static io.streamscore.topology.ScoringTopologyTest.web;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.AvroLimits;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.FakeScorer;
import io.streamscore.support.TestModels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of bad input (docs/reliability.md, Bad input): each kind of record goes to the dead-letter topic
 * with a reason a person can act on, and the good record sent right after it is still scored.
 */
class BadInputCatalogueTest {
  private static final String TERMINALS = "payments.card-terminal";
  private static final String WEB = "payments.web-checkout";

  @TempDir
  Path temp;

  @BeforeAll
  static void limits() {
    StreamScoreConfig defaults = config(Map.of());
    AvroLimits.apply(defaults.maxStringLength(), defaults.maxBytesLength(), defaults.maxCollectionItems());
  }

  private static StreamScoreConfig config(Map<String, String> overrides) {
    Map<String, String> values = new TreeMap<>(ConfigLoader.read(Optional.empty()));
    values.put("bootstrap.servers", "unused:9092");
    values.putAll(overrides);
    values.values().removeIf(String::isEmpty);
    return new StreamScoreConfig(values);
  }

  /**
   * Sends {@code bad}, then a good record, to the topic, through both the one-call-per-record
   * topology and the batching one (where the driver's commit after each record scores it from the
   * pre-commit hook; {@code StreamThreadBatchTest} covers a bad and a good record in one model
   * call); the outcome must be the same. Returns the bad record's dead-letter reason.
   */
  private String deadLetterReason(StreamScoreConfig config, String topic, byte[] key, byte[] bad) throws Exception {
    FakeScorer scorer = new FakeScorer();
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature(), config.maxRecordBytes());
    String unbatched = deadLetterReason(config, topic, key, bad,
        ScoringTopology.build(sources, scorer, config.outputTopic(), Clock.systemUTC()), false);
    String batched = deadLetterReason(config, topic, key, bad, ScoringTopology.buildBatched(sources, scorer, config.outputTopic(),
        config.deadLetterTopic(), Clock.systemUTC(), ShadowSink.NONE, ScoringListener.NONE, 64, Duration.ofMinutes(1)), true);
    assertEquals(unbatched, batched, "the same reason with and without batching");
    return unbatched;
  }

  private String deadLetterReason(StreamScoreConfig config, String topic, byte[] key, byte[] bad, org.apache.kafka.streams.Topology topology,
      boolean flush) throws Exception {
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
      input.pipeInput(key, bad);
      input.pipeInput("good".getBytes(StandardCharsets.UTF_8), topic.equals(WEB) ? bytes(web(20, 1.0).toByteBuffer()) : bytes(terminal(20).toByteBuffer()));
      if (flush) {
        driver.advanceWallClockTime(Duration.ofMinutes(1));
      }
      List<TestRecord<byte[], byte[]>> predictions = driver.createOutputTopic(config.outputTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList();
      assertEquals(1, predictions.size(), "the good record after the bad one is scored");
      assertEquals("good", new String(predictions.get(0).key(), StandardCharsets.UTF_8));
      List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList();
      assertEquals(1, dead.size());
      assertArrayEquals(bad, dead.get(0).value(), "the dead letter keeps the original value");
      Header reason = dead.get(0).headers().lastHeader("__streams.errors.message");
      return new String(reason.value(), StandardCharsets.UTF_8);
    }
  }

  private String deadLetterReason(String topic, byte[] bad) throws Exception {
    return deadLetterReason(config(Map.of()), topic, "bad".getBytes(StandardCharsets.UTF_8), bad);
  }

  private static void assertMentions(String reason, String... parts) {
    for (String part : parts) {
      assertTrue(reason.contains(part), "'" + part + "' in: " + reason);
    }
  }

  /** Single-object encoding header for {@code schema}: C3 01 and its fingerprint, little-endian. */
  private static byte[] header(Schema schema) {
    return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
        .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
  }

  private static byte[] zigzagVarint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void garbageBytes() throws Exception {
    assertMentions(deadLetterReason(TERMINALS, "not avro at all".getBytes(StandardCharsets.UTF_8)), "not Avro single-object encoding");
  }

  @Test
  void truncatedAvro() throws Exception {
    byte[] good = bytes(terminal(10).toByteBuffer());
    assertMentions(deadLetterReason(TERMINALS, Arrays.copyOf(good, good.length / 2)), "corrupt or truncated Avro body");
  }

  @Test
  void unknownWriterSchema() throws Exception {
    Schema other = SchemaBuilder.record("CardTerminalPayment").namespace("io.streamscore.demo.payments").fields()
        .requiredString("something").endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("something", "x");
    assertMentions(deadLetterReason(TERMINALS, bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(record))),
        "unknown writer schema", "writer.schemas");
  }

  @Test
  void lengthPrefixClaimingAHugeStringIsRefusedWithoutAllocatingIt() throws Exception {
    // transaction_id claims 2^30 bytes, backed by 5: without a limit, Avro would allocate 1 GiB first.
    byte[] bomb = concat(header(CardTerminalPayment.getClassSchema()), zigzagVarint(1L << 30), "tx-42".getBytes(StandardCharsets.UTF_8));
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertMentions(deadLetterReason(TERMINALS, bomb), "larger than allowed", "limits.string.length");
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertTrue(after - before < 512L * 1024 * 1024, "no gigabyte was allocated");
  }

  @Test
  void lengthPrefixClaimingAHugeArrayIsRefused() throws Exception {
    // order_id "o", total 1.0, category "x", hour 1, age 1, then recent_order_counts claiming 2^30 items.
    byte[] body = concat(zigzagVarint(1), "o".getBytes(StandardCharsets.UTF_8),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.0).array(),
        zigzagVarint(1), "x".getBytes(StandardCharsets.UTF_8), zigzagVarint(1), zigzagVarint(1), zigzagVarint(1L << 30));
    assertMentions(deadLetterReason(WEB, concat(header(WebCheckoutPayment.getClassSchema()), body)), "larger than allowed");
  }

  @Test
  void lengthPrefixClaimingMoreThanAJavaArrayHoldsIsRefused() throws Exception {
    // Found by ConfluentFramingFuzzTest (its sources read both formats): beyond 2^31 Avro throws
    // UnsupportedOperationException, not its limit exception.
    byte[] string = concat(header(CardTerminalPayment.getClassSchema()), zigzagVarint(1L << 40));
    assertMentions(deadLetterReason(TERMINALS, string), "larger than allowed", "limits.string.length");
    byte[] body = concat(zigzagVarint(1), "o".getBytes(StandardCharsets.UTF_8),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.0).array(),
        zigzagVarint(1), "x".getBytes(StandardCharsets.UTF_8), zigzagVarint(1), zigzagVarint(1), zigzagVarint(1L << 40));
    assertMentions(deadLetterReason(WEB, concat(header(WebCheckoutPayment.getClassSchema()), body)), "larger than allowed");
  }

  @Test
  void missingRequiredField() throws Exception {
    Schema withoutHour = SchemaBuilder.record("CardTerminalPayment").namespace("io.streamscore.demo.payments").fields()
        .requiredString("transaction_id").endRecord();
    Path writer = temp.resolve("writer.avsc");
    Files.writeString(writer, withoutHour.toString());
    GenericRecord record = new GenericData.Record(withoutHour);
    record.put("transaction_id", "t");
    String reason = deadLetterReason(config(Map.of("source.terminal.writer.schemas", writer.toString())), TERMINALS,
        "bad".getBytes(StandardCharsets.UTF_8), bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), withoutHour).encode(record)));
    assertMentions(reason, "cannot be read as", "missing required field");
  }

  @Test
  void nullWhereAFeatureIsRequired() throws Exception {
    String reason = deadLetterReason(config(Map.of("source.web.default.distance_km", "")), WEB, "bad".getBytes(StandardCharsets.UTF_8),
        bytes(web(10, null).toByteBuffer()));
    assertMentions(reason, "'shipping_distance_km' is null", "source.web.default.distance_km");
  }

  @Test
  void notANumberAndInfinity() throws Exception {
    assertMentions(deadLetterReason(TERMINALS, bytes(terminal(Double.NaN).toByteBuffer())), "'amount_eur' is NaN", "finite numbers only");
    CardTerminalPayment infinite = terminal(10);
    infinite.getCardholder().setHomeDistanceKm(Double.POSITIVE_INFINITY);
    assertMentions(deadLetterReason(TERMINALS, bytes(infinite.toByteBuffer())), "'cardholder.home_distance_km' is Infinity");
  }

  @Test
  void stringLongerThanTheConfiguredLimit() throws Exception {
    CardTerminalPayment longCategory = terminal(10);
    longCategory.getMerchant().setCategory("x".repeat(100_000));
    assertMentions(deadLetterReason(TERMINALS, bytes(longCategory.toByteBuffer())), "larger than allowed", "limits.string.length");
  }

  @Test
  void oversizedRecord() throws Exception {
    byte[] megabyte = new byte[1024 * 1024 + 1];
    byte[] good = bytes(terminal(10).toByteBuffer());
    System.arraycopy(good, 0, megabyte, 0, good.length);
    assertMentions(deadLetterReason(TERMINALS, megabyte), "1048577 bytes, over limits.record.bytes=1048576");
  }

  @Test
  void tombstone() throws Exception {
    String reason = deadLetterReason(config(Map.of()), TERMINALS, "bad".getBytes(StandardCharsets.UTF_8), null);
    assertMentions(reason, "tombstone");
  }

  @Test
  void nullKeyIsScoredAndKeptNull() throws Exception {
    StreamScoreConfig config = config(Map.of());
    FakeScorer scorer = new FakeScorer();
    try (TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(SourceRegistry.create(config.sources(),
        scorer.model().signature()), scorer, config.outputTopic(), Clock.systemUTC()), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      driver.createInputTopic(TERMINALS, new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(null, bytes(terminal(5).toByteBuffer()));
      TestRecord<byte[], byte[]> prediction = driver.createOutputTopic(config.outputTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecord();
      assertNull(prediction.key());
      assertEquals(TERMINALS, Prediction.fromByteBuffer(ByteBuffer.wrap(prediction.value())).getTopic());
    }
  }

  @Test
  void recordThatDecodesButMakesTensorFlowFail() throws Exception {
    Schema measurement = SchemaBuilder.record("Measurement").fields().requiredFloat("x").endRecord();
    Path schema = temp.resolve("Measurement.avsc");
    Files.writeString(schema, measurement.toString());
    StreamScoreConfig config = new StreamScoreConfig(Map.of("bootstrap.servers", "unused:9092", "sources", "sensor",
        "source.sensor.topics", "sensor", "source.sensor.schema", schema.toString(), "source.sensor.input.x", "x",
        "model.path", TestModels.failsOnNegative(temp.resolve("model")).toString()));
    try (SavedModelScorer model = SavedModelScorer.load(ModelOptions.defaults(config.modelPath()).withWarmup(false));
        TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(SourceRegistry.create(config.sources(),
            model.model().signature()), model, config.outputTopic(), Clock.systemUTC()), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic("sensor", new ByteArraySerializer(), new ByteArraySerializer());
      BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), measurement);
      for (float x : new float[] {-1f, Float.MIN_NORMAL, 2f}) {
        GenericRecord record = new GenericData.Record(measurement);
        record.put("x", x);
        input.pipeInput(null, bytes(encoder.encode(record)));
      }
      assertEquals(2, driver.createOutputTopic(config.outputTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readRecordsToList().size(), "the records around the failing one are scored");
      List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList();
      assertEquals(1, dead.size());
      assertMentions(new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8),
          "failed to score", "log of a negative x");
    }
  }
}
