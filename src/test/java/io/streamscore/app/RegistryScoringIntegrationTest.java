package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.registry.SingleObjectReframer;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.LocalRegistry;
import io.streamscore.support.RunSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * StreamScore against a real schema registry (Apicurio, Confluent API) and a real broker: records
 * in Confluent's wire format from every demo source are scored, mixed with single-object records on
 * one topic and written with two versions of a schema; predictions in Confluent's format and in
 * JSON are read back by a plain consumer that knows nothing of StreamScore.
 */
class RegistryScoringIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();
  @RegisterExtension
  static final LocalRegistry REGISTRY = new LocalRegistry();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static StreamScoreConfig config(String run, Map<String, String> extra) {
    Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "registry", run);
    settings.put("num.stream.threads", "2");
    settings.put("schema.registry.url", REGISTRY.url());
    settings.put("http.port", "0");
    settings.putAll(extra);
    return ConfigLoader.load(Optional.empty(), Map.of(), settings);
  }

  /** Publishes {@code count} synthetic records of {@code source}, reframed to Confluent's format; returns their positions. */
  static List<String> publishConfluent(StreamScoreConfig config, SchemaRegistryClient client, KafkaProducer<byte[], byte[]> producer,
      String source, int count, double v1Share) throws Exception {
    return ConfluentPublisher.register(config, client, source, v1Share).send(producer, count);
  }

  /** A source's synthetic records in Confluent's format, its schemas registered under {@code <topic>-value} at creation. */
  record ConfluentPublisher(String topic, SingleObjectReframer reframer, SyntheticRecords.Generator generator) {
    static ConfluentPublisher register(StreamScoreConfig config, SchemaRegistryClient client, String source, double v1Share) {
      SourceDefinition definition = config.sources().stream().filter(s -> s.name().equals(source)).findFirst().orElseThrow();
      String topic = definition.topics().get(0);
      Schema reader = SchemaFiles.read("schema", definition.schema());
      List<Schema> schemas = new ArrayList<>();
      definition.writerSchemas().forEach(p -> schemas.add(SchemaFiles.read("writer", p)));
      schemas.add(reader);
      return new ConfluentPublisher(topic, SingleObjectReframer.register(client, topic + "-value", schemas),
          SyntheticRecords.forSchema(reader, source.hashCode(), v1Share).orElseThrow());
    }

    List<String> send(KafkaProducer<byte[], byte[]> producer, int count) throws Exception {
      return RegistryScoringIntegrationTest.send(producer, topic, count, () -> {
        SyntheticRecords.KeyedBytes record = generator.next();
        return new SyntheticRecords.KeyedBytes(record.key(), reframer.reframe(record.value()));
      });
    }
  }

  static List<String> send(KafkaProducer<byte[], byte[]> producer, String topic, int count,
      java.util.function.Supplier<SyntheticRecords.KeyedBytes> records) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SyntheticRecords.KeyedBytes record = records.get();
      sends.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
    }
    List<String> positions = new ArrayList<>();
    for (var send : sends) {
      RecordMetadata m = send.get();
      positions.add(m.topic() + "/" + m.partition() + "@" + m.offset());
    }
    return positions;
  }

  /** Reads output and dead letters read_committed until {@code expected} records arrived (or 3 minutes passed). */
  static long readUntil(StreamScoreConfig config, int expected, Consumer<byte[]> prediction) {
    return readUntil(KAFKA.bootstrapServers(), config, expected, prediction);
  }

  static long readUntil(String bootstrapServers, StreamScoreConfig config, int expected, Consumer<byte[]> prediction) {
    long deadLetters = 0;
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = EmbeddedKafka.consumerFromBeginning(bootstrapServers, config.outputTopic(),
        config.deadLetterTopic())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          if (record.topic().equals(config.deadLetterTopic())) {
            deadLetters++;
          } else {
            prediction.accept(record.value());
          }
        }
      }
    }
    return deadLetters;
  }

  /** Decodes a Confluent-format value as any consumer would: the writer schema by id over HTTP. */
  static GenericRecord readConfluent(byte[] value, Map<Integer, Schema> schemas) {
    assertEquals(ConfluentWireFormat.MAGIC, value[0], "Confluent's magic byte");
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    Schema writer = schemas.computeIfAbsent(id, i -> {
      try {
        return new Schema.Parser().parse(JSON.readTree(REGISTRY.get("/schemas/ids/" + i)).get("schema").asText());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    try {
      return new GenericDatumReader<GenericRecord>(writer).read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldScoreEverySourceInConfluentFormatMixedWithSingleObjectAndTwoSchemaVersionsAndWriteConfluentPredictions() throws Exception {
    String run = RunSettings.newRun();
    StreamScoreConfig config = config(run, Map.of("output.format", "confluent"));
    SchemaRegistryClient client = new SchemaRegistryClient(config.schemaRegistry().orElseThrow());
    List<String> published = new ArrayList<>();
    try (StreamScoreService service = StreamScoreService.start(config); KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      published.addAll(publishConfluent(config, client, producer, "terminal", 150, 0));
      published.addAll(publishConfluent(config, client, producer, "web", 150, 0.4));
      published.addAll(publishConfluent(config, client, producer, "mobile", 150, 0));
      // Single-object records on the same topic as Confluent ones.
      SourceDefinition web = config.sources().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
      SyntheticRecords.Generator singleObject = SyntheticRecords.forSchema(SchemaFiles.read("schema", web.schema()), 7, 0.2).orElseThrow();
      published.addAll(send(producer, web.topics().get(0), 50, singleObject::next));
      // One record whose schema id the registry does not have.
      byte[] unknownId = ConfluentWireFormat.frame(Integer.MAX_VALUE, new byte[] {2, 'x'});
      producer.send(new ProducerRecord<>(web.topics().get(0), "unknown-id".getBytes(java.nio.charset.StandardCharsets.UTF_8), unknownId)).get();

      Map<String, Integer> scored = new HashMap<>();
      Map<Integer, Schema> schemas = new HashMap<>();
      List<Integer> ids = new ArrayList<>();
      long deadLetters = readUntil(config, published.size() + 1, value -> {
        ids.add(ByteBuffer.wrap(value, 1, 4).getInt());
        GenericRecord p = readConfluent(value, schemas);
        scored.merge(p.get("topic") + "/" + p.get("partition") + "@" + p.get("offset"), 1, Integer::sum);
        assertTrue(((Map<?, ?>) p.get("outputs")).size() == 3, "three signature outputs");
      });
      assertEquals(1, deadLetters, "the record with an unknown schema id only");
      assertEquals(Map.copyOf(published.stream().collect(java.util.stream.Collectors.toMap(k -> k, k -> 1))), Map.copyOf(scored),
          "every record scored exactly once");
      int registered = JSON.readTree(REGISTRY.get("/subjects/" + config.outputTopic() + "-value/versions/latest")).get("id").asInt();
      assertTrue(ids.stream().allMatch(id -> id == registered), "predictions carry the id of " + config.outputTopic() + "-value");
      JsonNode webVersions = JSON.readTree(REGISTRY.get("/subjects/" + web.topics().get(0) + "-value/versions"));
      assertEquals(2, webVersions.size(), "web v1 and v2 are both registered: " + webVersions);
      assertTrue(service.metrics().scrape().contains("streamscore_schema_registry_cache_hits_total"), "registry metrics are served");

      // What a person sees: the consume command prints both, as JSON lines.
      java.io.StringWriter printed = new java.io.StringWriter();
      picocli.CommandLine cli = StreamScoreCommand.commandLine();
      cli.setOut(new java.io.PrintWriter(printed, true));
      int exit = cli.execute("consume", "--from-beginning", "--set", "bootstrap.servers=" + KAFKA.bootstrapServers(),
          "--set", "output.topic=" + config.outputTopic(), "--set", "dead.letter.topic=" + config.deadLetterTopic(),
          "--set", "schema.registry.url=" + REGISTRY.url());
      assertEquals(0, exit);
      List<JsonNode> lines = new ArrayList<>();
      for (String line : printed.toString().split("\n")) {
        if (!line.isBlank()) {
          lines.add(JSON.readTree(line));
        }
      }
      assertEquals(published.size() + 1, lines.size());
      JsonNode dead = lines.stream().filter(l -> l.get("kind").asText().equals("dead_letter")).findFirst().orElseThrow();
      assertEquals("unknown-id", dead.get("key").asText());
      assertTrue(dead.get("reason").asText().contains("schema id " + Integer.MAX_VALUE + " is not in the schema registry"), dead.toString());
      JsonNode prediction = lines.stream().filter(l -> l.get("kind").asText().equals("prediction")).findFirst().orElseThrow();
      assertTrue(prediction.get("prediction").get("outputs").has("fraud_probability"), prediction.toString());
      assertTrue(published.contains(prediction.get("prediction").get("topic").asText() + "/" + prediction.get("prediction").get("partition").asInt()
          + "@" + prediction.get("prediction").get("offset").asLong()), "lineage points at an input: " + prediction);
    }
  }

  @Test
  void shouldTakeTheReaderSchemaFromASubjectAndWriteJsonPredictions() throws Exception {
    String run = RunSettings.newRun();
    // Register the web schema first, as the producers would; then the source names the subject instead of a file.
    StreamScoreConfig fileBased = config(run, Map.of());
    SchemaRegistryClient client = new SchemaRegistryClient(fileBased.schemaRegistry().orElseThrow());
    SourceDefinition web = fileBased.sources().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
    String subject = web.topics().get(0) + "-value";
    client.register(subject, SchemaFiles.read("schema", web.schema()));
    StreamScoreConfig config = config(run, Map.of("output.format", "json", "source.web.schema", "", "source.web.schema.subject", subject));
    try (StreamScoreService service = StreamScoreService.start(config); KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      List<String> published = publishConfluent(fileBased, client, producer, "web", 60, 0);
      List<JsonNode> predictions = new ArrayList<>();
      long deadLetters = readUntil(config, published.size(), value -> {
        try {
          predictions.add(JSON.readTree(value));
        } catch (java.io.IOException e) {
          throw new AssertionError("a prediction is not JSON: " + new String(value, java.nio.charset.StandardCharsets.UTF_8), e);
        }
      });
      assertEquals(0, deadLetters);
      assertEquals(published.size(), predictions.size());
      for (JsonNode p : predictions) {
        assertEquals("web", p.get("source").asText());
        assertTrue(published.contains(p.get("topic").asText() + "/" + p.get("partition").asInt() + "@" + p.get("offset").asLong()));
        double probability = p.get("outputs").get("fraud_probability").asDouble(-1);
        assertTrue(probability >= 0 && probability <= 1, "fraud_probability in [0, 1]: " + p);
        assertTrue(p.get("outputs").get("decision").isTextual(), p.toString());
      }
    }
  }

  @Test
  void shouldStopStartUpNamingTheKeyWhenASubjectIsNotInTheRegistry() {
    StreamScoreConfig config = config(RunSettings.newRun(), Map.of("source.web.schema", "", "source.web.schema.subject", "no-such-subject"));
    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config).close());
    assertTrue(e.getMessage().contains("source.web.schema.subject"), e.getMessage());
    assertTrue(e.getMessage().contains("40401"), e.getMessage());
  }
}
