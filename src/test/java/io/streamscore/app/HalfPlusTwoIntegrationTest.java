package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.prediction.Prediction;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.ModelDirectories;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Serving a model StreamScore did not make: TensorFlow Serving's half_plus_two test model, exported
 * by Python TensorFlow, from ../shared. Skipped when ../shared is absent.
 */
class HalfPlusTwoIntegrationTest {
  static final Path FIXTURE = Path.of("..", "shared", "fixtures", "saved-models", "half_plus_two");
  static final Schema MEASUREMENT = SchemaBuilder.record("Measurement").namespace("io.streamscore.test").fields()
      .requiredString("sensor").requiredDouble("x").endRecord();
  private static EmbeddedKafkaBroker broker;

  @TempDir
  Path temp;

  @BeforeAll
  static void startBroker() {
    if (Files.isDirectory(FIXTURE)) {
      broker = EmbeddedKafkaBroker.start();
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void requireFixture() {
    assumeTrue(Files.isDirectory(FIXTURE), "../shared/fixtures/saved-models/half_plus_two is absent");
  }

  @ParameterizedTest(name = "{0} via {1}")
  @CsvSource({"serving_default, input", "regress_x_to_y, feature"})
  void shouldScoreHalfPlusTwoThroughKafkaByConfigurationAlone(String signature, String bindingKind) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> settings = settings(run, FIXTURE);
    settings.put("model.signature", signature);
    settings.put("source.sensor." + bindingKind + ".x", "x");
    StreamScoreConfig config = new StreamScoreConfig(settings);
    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertEquals(124, service.scorer().model().version(), "the newest of 00000123 and 00000124");
      List<Double> xs = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < 200; i++) {
          double x = i * 0.5 - 20;
          xs.add(x);
          producer.send(new ProducerRecord<>("sensor-" + run, ("k" + i).getBytes(StandardCharsets.UTF_8), encode(x)));
        }
      }
      Map<Long, Prediction> byOffset = new TreeMap<>();
      consume(config, 200, p -> byOffset.put(p.getOffset() * 10 + p.getPartition(), p));
      assertEquals(200, byOffset.size());
      String output = signature.equals("serving_default") ? "y" : "outputs";
      for (Prediction p : byOffset.values()) {
        double y = p.getOutputs().get(output).getFloats().get(0);
        assertEquals(List.of(1L), p.getOutputs().get(output).getShape());
        assertTrue(xs.stream().anyMatch(x -> Math.abs(0.5 * x + 2 - y) < 1e-6), "y=" + y + " is 0.5·x+2 for a published x");
        assertEquals("half_plus_two", p.getModelName());
      }
      double sum = byOffset.values().stream().mapToDouble(p -> p.getOutputs().get(output).getFloats().get(0)).sum();
      double expected = xs.stream().mapToDouble(x -> 0.5 * x + 2).sum();
      assertEquals(expected, sum, 1e-3, "every published x scored once");
    }
  }

  @Test
  void shouldSwapVersionsWhileRecordsFlowWithoutLosingOrFailingAny() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path base = temp.resolve("half_plus_two");
    Files.createDirectories(base);
    ModelDirectories.addVersion(FIXTURE.resolve("00000123"), base, 123);
    Map<String, String> settings = settings(run, base);
    settings.put("source.sensor.input.x", "x");
    settings.put("model.poll.interval.ms", "100");
    int total = 100_000;
    StreamScoreConfig config = new StreamScoreConfig(settings);
    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertEquals(123, service.scorer().model().version());
      AtomicReference<Exception> publishFailure = new AtomicReference<>();
      Thread publisher = new Thread(() -> {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
          for (int i = 0; i < total; i++) {
            producer.send(new ProducerRecord<>("sensor-" + run, ("k" + (i % 1000)).getBytes(StandardCharsets.UTF_8), encode(i % 100)));
          }
        } catch (Exception e) {
          publishFailure.set(e);
        }
      });
      publisher.start();
      Map<String, List<long[]>> versionsByInputPartition = new HashMap<>();
      Map<String, Integer> perInput = new HashMap<>();
      boolean[] swapped = {false};
      long deadLetters = consume(config, total, p -> {
        String input = p.getTopic() + "/" + p.getPartition();
        versionsByInputPartition.computeIfAbsent(input, k -> new ArrayList<>()).add(new long[] {p.getOffset(), p.getModelVersion()});
        perInput.merge(input + "@" + p.getOffset(), 1, Integer::sum);
        double x = (p.getOffset() >= 0) ? p.getOutputs().get("y").getFloats().get(0) : 0;
        assertTrue(x >= 2 && x <= 0.5 * 99 + 2, "y in range: " + x);
        if (!swapped[0] && perInput.size() >= 20_000) {
          // A new version appears on disk while records flow.
          ModelDirectories.addVersion(FIXTURE.resolve("00000124"), base, 124);
          swapped[0] = true;
        }
      });
      publisher.join();
      assertEquals(null, publishFailure.get());
      assertEquals(0, deadLetters, "no record failed");
      assertEquals(total, perInput.size(), "every record has a prediction");
      assertTrue(perInput.values().stream().allMatch(n -> n == 1), "and only one");
      boolean sawBoth = versionsByInputPartition.values().stream().flatMap(List::stream).anyMatch(v -> v[1] == 124)
          && versionsByInputPartition.values().stream().flatMap(List::stream).anyMatch(v -> v[1] == 123);
      assertTrue(sawBoth, "records were scored by both versions");
      versionsByInputPartition.forEach((partition, scored) -> {
        scored.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < scored.size(); i++) {
          assertTrue(scored.get(i)[1] >= scored.get(i - 1)[1], "versions never go back within " + partition);
        }
      });
      assertEquals(124, service.scorer().model().version());
      assertEquals(1, service.scorer().swaps());
    }
  }

  private Map<String, String> settings(String run, Path modelPath) throws Exception {
    Path schema = temp.resolve("Measurement.avsc");
    Files.writeString(schema, MEASUREMENT.toString(true));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("application.id", "hp2-" + run);
    settings.put("model.path", modelPath.toString());
    settings.put("output.topic", "hp2-out-" + run);
    settings.put("dead.letter.topic", "hp2-dlq-" + run);
    settings.put("num.stream.threads", "2");
    settings.put("topics.partitions", "2");
    settings.put("sources", "sensor");
    settings.put("http.port", "0");
    settings.put("source.sensor.topics", "sensor-" + run);
    settings.put("source.sensor.schema", schema.toString());
    return settings;
  }

  static byte[] encode(double x) throws Exception {
    GenericRecord record = new GenericData.Record(MEASUREMENT);
    record.put("sensor", "s-1");
    record.put("x", x);
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), MEASUREMENT).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return EmbeddedKafka.producer(broker.bootstrapServers());
  }

  interface PredictionCheck {
    void accept(Prediction prediction) throws Exception;
  }

  /** Reads predictions until {@code expected} have arrived (or three minutes pass); returns the dead letters seen. */
  private static long consume(StreamScoreConfig config, int expected, PredictionCheck check) throws Exception {
    long predictions = 0;
    long deadLetters = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = EmbeddedKafka.consumerFromBeginning(broker.bootstrapServers(),
        config.outputTopic(), config.deadLetterTopic())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (predictions + deadLetters < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(config.outputTopic())) {
            check.accept(Prediction.fromByteBuffer(ByteBuffer.wrap(record.value())));
            predictions++;
          } else {
            deadLetters++;
          }
        }
      }
    }
    return deadLetters;
  }
}
