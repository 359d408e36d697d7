package io.streamscore.topology;

import static io.streamscore.topology.ScoringTopologyTest.web;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.FakeSchemaLookup;
import io.streamscore.support.FakeScorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records in Confluent's wire format, through both topologies (one call per record, and batching): a bad one is dead-lettered with its reason and the next one scored; a registry outage
 * dead-letters nothing and fails the task instead, so the record is read again.
 */
class RegistryFailurePolicyTest {
  private static final String WEB = "payments.web-checkout";
  private static final Schema WEB_SCHEMA = WebCheckoutPayment.getClassSchema();

  private static StreamScoreConfig config() {
    Map<String, String> values = new TreeMap<>(ConfigLoader.read(Optional.empty()));
    values.put("bootstrap.servers", "unused:9092");
    values.put("schema.registry.url", "http://127.0.0.1:1");
    return new StreamScoreConfig(values);
  }

  private static Topology topology(boolean batched, FakeSchemaLookup registry) {
    StreamScoreConfig config = config();
    FakeScorer scorer = new FakeScorer();
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature(), config.maxRecordBytes(), Optional.of(registry));
    return batched
        ? ScoringTopology.buildBatched(sources, scorer, config.outputTopic(), config.deadLetterTopic(), Clock.systemUTC(), ShadowSink.NONE,
            ScoringListener.NONE, 64, Duration.ofMinutes(1))
        : ScoringTopology.build(sources, scorer, config.outputTopic(), Clock.systemUTC());
  }

  static byte[] confluent(int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    if (record instanceof WebCheckoutPayment payment) {
      new SpecificDatumWriter<WebCheckoutPayment>(WEB_SCHEMA).write(payment, encoder);
    } else {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    }
    encoder.flush();
    return ConfluentWireFormat.frame(id, out.toByteArray());
  }

  /** Sends bad then good; returns the bad record's dead-letter reason after checking the good one was scored. */
  private static String reason(boolean batched, FakeSchemaLookup registry, byte[] bad) throws IOException {
    StreamScoreConfig config = config();
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(batched, registry), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(WEB, new ByteArraySerializer(), new ByteArraySerializer());
      input.pipeInput("bad".getBytes(StandardCharsets.UTF_8), bad);
      input.pipeInput("good".getBytes(StandardCharsets.UTF_8), confluent(2, web(20, 1.0)));
      driver.advanceWallClockTime(Duration.ofMinutes(1));
      List<TestRecord<byte[], byte[]>> predictions = driver.createOutputTopic(config.outputTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList();
      assertEquals(1, predictions.size());
      assertEquals("good", new String(predictions.get(0).key(), StandardCharsets.UTF_8));
      List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList();
      assertEquals(1, dead.size());
      assertArrayEquals(bad, dead.get(0).value(), "the dead letter keeps the original bytes");
      return new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8);
    }
  }

  private static void assertMentions(String reason, String... parts) {
    for (String part : parts) {
      assertTrue(reason.contains(part), "'" + part + "' in: " + reason);
    }
  }

  private static FakeSchemaLookup registry() {
    return new FakeSchemaLookup().with(2, WEB_SCHEMA);
  }

  @ParameterizedTest(name = "batched={0}")
  @ValueSource(booleans = {false, true})
  void shouldDeadLetterAnIdTheRegistryDoesNotHave(boolean batched) throws IOException {
    assertMentions(reason(batched, registry(), confluent(404, web(1, 1.0))), "schema id 404 is not in the schema registry", "40403");
  }

  @ParameterizedTest(name = "batched={0}")
  @ValueSource(booleans = {false, true})
  void shouldDeadLetterAWriterSchemaThatCannotBeResolved(boolean batched) throws IOException {
    Schema other = SchemaBuilder.record("WebCheckoutPayment").namespace("io.streamscore.demo.payments").fields()
        .requiredString("order_id").requiredString("total").endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("order_id", "o");
    record.put("total", "lots");
    assertMentions(reason(batched, registry().with(9, other), confluent(9, record)), "registry id 9", "cannot be read as");
  }

  @ParameterizedTest(name = "batched={0}")
  @ValueSource(booleans = {false, true})
  void shouldDeadLetterATruncatedBody(boolean batched) throws IOException {
    byte[] whole = confluent(2, web(1, 1.0));
    assertMentions(reason(batched, registry(), Arrays.copyOf(whole, whole.length - 8)), "corrupt or truncated Avro body");
  }

  @ParameterizedTest(name = "batched={0}")
  @ValueSource(booleans = {false, true})
  void shouldDeadLetterAnUnknownFirstByte(boolean batched) throws IOException {
    assertMentions(reason(batched, registry(), new byte[] {0x42, 1, 2, 3}), "neither Avro single-object encoding", "Confluent's wire format");
  }

  @ParameterizedTest(name = "batched={0}")
  @ValueSource(booleans = {false, true})
  void shouldNeverDeadLetterARecordWhileTheRegistryIsDown(boolean batched) throws IOException {
    StreamScoreConfig config = config();
    FakeSchemaLookup registry = registry();
    registry.setDown(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(batched, registry), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic(WEB, new ByteArraySerializer(), new ByteArraySerializer());
      RuntimeException failure = assertThrows(RuntimeException.class, () -> input.pipeInput("k".getBytes(StandardCharsets.UTF_8),
          confluent(2, web(1, 1.0))));
      assertTrue(DeadLetterHandler.dependencyDown(failure), "the task fails with the outage as its cause: " + failure);
      Function<String, Integer> count = topic -> driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readRecordsToList().size();
      assertEquals(0, count.apply(config.deadLetterTopic()), "nothing dead-lettered");
      assertEquals(0, count.apply(config.outputTopic()));
    }
  }
}
