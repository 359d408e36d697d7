package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker goes away for 20 s mid-run, with records waiting in the stream threads' batches, and
 * comes back: StreamScore recovers by itself and every input is still scored, exactly once under
 * exactly_once_v2 (under at_least_once the duplicates are counted and reported).
 */
class BrokerOutageIntegrationTest {
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  private EmbeddedKafkaBroker broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
  void shouldRecoverByItselfFromABrokerOutageAndLoseNothing(String guarantee) throws Exception {
    broker = EmbeddedKafkaBroker.start();
    String run = RunSettings.newRun();
    Map<String, String> settings = RunSettings.isolated(broker.bootstrapServers(), "outage", run);
    settings.put("num.stream.threads", "2");
    settings.put("processing.guarantee", guarantee);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    int perBatch = 3_000;
    try (StreamScoreService service = StreamScoreService.start(config);
        KafkaProducer<byte[], byte[]> producer = EmbeddedKafka.producer(broker.bootstrapServers())) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      var generator = SyntheticRecords.forSchema(SchemaFiles.read("schema", config.sources().get(0).schema()), 5, 0).orElseThrow();
      Map<String, Boolean> published = new HashMap<>();
      publish(producer, generator, "terminal-" + run, perBatch, published);
      broker.stop();
      Thread.sleep(OUTAGE.toMillis()); // the outage itself: its length is the scenario, not a synchronisation
      broker.restart();
      publish(producer, generator, "terminal-" + run, perBatch, published);

      Map<String, Integer> scored = new HashMap<>();
      long deadLetters = 0;
      try (KafkaConsumer<byte[], byte[]> consumer = EmbeddedKafka.consumerFromBeginning(broker.bootstrapServers(),
          config.outputTopic(), config.deadLetterTopic())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (scored.size() + deadLetters < published.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            if (record.topic().equals(config.deadLetterTopic())) {
              deadLetters++;
            } else {
              Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
              scored.merge(p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset(), 1, Integer::sum);
            }
          }
        }
      }
      assertEquals(2 * perBatch, published.size());
      assertEquals(0, deadLetters);
      assertEquals(published.keySet(), scored.keySet(), "every input scored after the outage");
      long twice = scored.values().stream().filter(n -> n > 1).count();
      if (guarantee.equals("exactly_once_v2")) {
        assertEquals(0, twice, "and exactly once");
      }
      System.out.printf("broker outage (%s): %d inputs, %d scored, %d scored twice%n", guarantee, published.size(), scored.size(), twice);
      assertEquals(KafkaStreams.State.RUNNING, service.state(), "Kafka Streams recovered by itself");
    }
  }

  private static void publish(KafkaProducer<byte[], byte[]> producer, SyntheticRecords.Generator generator, String topic, int count,
      Map<String, Boolean> published) throws Exception {
    java.util.List<java.util.concurrent.Future<RecordMetadata>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      SyntheticRecords.KeyedBytes record = generator.next();
      sends.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
    }
    for (var send : sends) {
      RecordMetadata m = send.get();
      published.put(m.topic() + "/" + m.partition() + "@" + m.offset(), true);
    }
  }
}
