package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.EmbeddedKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What StreamScore must do against a real broker, whichever broker that is: every input record
 * from every source yields exactly one prediction with its lineage, every bad record lands in the
 * dead-letter topic with its reason, and nothing else is lost. Subclasses supply the broker.
 */
abstract class ScoringPipelineContract {
  private static final int GOOD_PER_SOURCE = 1_500;

  @TempDir
  Path temp;

  /** The broker to run against, host:port. */
  abstract String bootstrapServers();

  /** The identity of one input record. */
  record InputId(String topic, int partition, long offset) {}

  @Test
  void shouldScoreEveryRecordFromEverySourceExactlyOnceAndDeadLetterTheRest() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path incompleteWriter = temp.resolve("CardTerminalPayment-without-local_hour.avsc");
    Schema withoutHour = withoutField(CardTerminalPayment.getClassSchema(), "local_hour");
    Files.writeString(incompleteWriter, withoutHour.toString(true));

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", bootstrapServers());
    settings.put("application.id", "it-" + run);
    settings.put("output.topic", "scores-" + run);
    settings.put("dead.letter.topic", "scores-dlq-" + run);
    settings.put("num.stream.threads", "3");
    settings.put("topics.partitions", "3");
    settings.put("source.terminal.topics", "terminal-" + run);
    settings.put("source.terminal.writer.schemas", incompleteWriter.toString());
    settings.put("source.web.topics", "web-" + run);
    settings.put("source.mobile.topics", "mobile-" + run);
    settings.put("kafka.commit.interval.ms", "200");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);

    try (StreamScoreService service = StreamScoreService.start(config)) {
      Map<InputId, Long> good = new HashMap<>();
      Map<InputId, String> bad = new HashMap<>();
      Map<String, String> sourceByTopic = new HashMap<>();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        List<Future<RecordMetadata>> goodSends = new ArrayList<>();
        for (var source : config.sources()) {
          String topic = source.topics().get(0);
          sourceByTopic.put(topic, source.name());
          SyntheticRecords.Generator generator = SyntheticRecords.forSchema(
              SchemaFiles.read("schema", source.schema()), topic.hashCode(), 0.2).orElseThrow();
          for (int i = 0; i < GOOD_PER_SOURCE; i++) {
            SyntheticRecords.KeyedBytes record = generator.next();
            goodSends.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
          }
        }
        String terminalTopic = config.sources().get(0).topics().get(0);
        bad.put(send(producer, terminalTopic, "garbage".getBytes(StandardCharsets.UTF_8)), "not Avro single-object encoding");
        bad.put(send(producer, terminalTopic, null), "tombstone");
        bad.put(send(producer, terminalTopic, encode(withoutHour, "local_hour")), "cannot be read as");
        Schema unknown = SchemaBuilder.record("WebCheckoutPayment").namespace("io.streamscore.demo.payments").fields()
            .requiredString("something_else").endRecord();
        bad.put(send(producer, "web-" + run, encode(unknown, null)), "unknown writer schema");
        for (Future<RecordMetadata> f : goodSends) {
          RecordMetadata m = f.get();
          good.put(new InputId(m.topic(), m.partition(), m.offset()), m.timestamp());
        }
      }

      Map<InputId, Integer> predictionsPerInput = new HashMap<>();
      Map<InputId, String> deadLetters = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(config.outputTopic(), config.deadLetterTopic())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while ((predictionsPerInput.size() < good.size() || deadLetters.size() < bad.size()) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            if (record.topic().equals(config.outputTopic())) {
              Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
              InputId id = new InputId(p.getTopic(), p.getPartition(), p.getOffset());
              predictionsPerInput.merge(id, 1, Integer::sum);
              assertEquals(sourceByTopic.get(p.getTopic()), p.getSource(), "source of " + id);
              assertEquals(good.get(id), p.getEventTimestamp().toEpochMilli(), "event time of " + id);
              assertEquals("fraud", p.getModelName());
              assertEquals(1, p.getModelVersion());
              double probability = p.getOutputs().get("fraud_probability").getFloats().get(0);
              assertTrue(probability > 0 && probability < 1, "probability " + probability);
            } else {
              InputId id = new InputId(header(record, "__streams.errors.topic"),
                  Integer.parseInt(header(record, "__streams.errors.partition")), Long.parseLong(header(record, "__streams.errors.offset")));
              deadLetters.put(id, header(record, "__streams.errors.message"));
            }
          }
        }
      }
      assertEquals(good.keySet(), predictionsPerInput.keySet(), "every good input has a prediction, and nothing else does");
      assertTrue(predictionsPerInput.values().stream().allMatch(n -> n == 1), "no input is scored twice");
      assertEquals(bad.keySet(), deadLetters.keySet(), "every bad input is dead-lettered, and nothing else is");
      bad.forEach((id, reason) -> assertTrue(deadLetters.get(id).contains(reason), id + ": " + deadLetters.get(id)));
      assertEquals(3 * GOOD_PER_SOURCE + 4, predictionsPerInput.size() + deadLetters.size(), "inputs = predictions + dead letters");
    }
  }

  private static Schema withoutField(Schema schema, String field) {
    List<Schema.Field> fields = schema.getFields().stream().filter(f -> !f.name().equals(field))
        .map(f -> new Schema.Field(f, f.schema())).toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  /** A record of {@code schema} with every field filled by a type-appropriate value. */
  private static byte[] encode(Schema schema, String ignored) throws Exception {
    GenericRecord record = (GenericRecord) fill(schema);
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static Object fill(Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record r = new GenericData.Record(schema);
        schema.getFields().forEach(f -> r.put(f.pos(), fill(f.schema())));
        yield r;
      }
      case STRING -> "x";
      case DOUBLE -> 1.0;
      case FLOAT -> 1.0f;
      case LONG -> 1L;
      case INT -> 1;
      case BOOLEAN -> true;
      default -> throw new IllegalArgumentException("no filler for " + schema.getType());
    };
  }

  private InputId send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
    RecordMetadata m = producer.send(new ProducerRecord<>(topic, "bad".getBytes(StandardCharsets.UTF_8), value)).get();
    return new InputId(m.topic(), m.partition(), m.offset());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return EmbeddedKafka.producer(bootstrapServers());
  }

  private KafkaConsumer<byte[], byte[]> consumer(String... topics) {
    return EmbeddedKafka.consumerFromBeginning(bootstrapServers(), topics);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
