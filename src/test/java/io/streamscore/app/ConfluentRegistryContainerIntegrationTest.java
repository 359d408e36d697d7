package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Confluent's own Schema Registry (its container image) with Kafka in a container: records every
 * demo source publishes in Confluent's format are scored, and Confluent-format predictions carry
 * the id Confluent's registry gave the Prediction schema. Reported skipped, not failed, where no
 * Docker engine is available; {@code RegistryScoringIntegrationTest} runs the same against
 * Apicurio without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentRegistryContainerIntegrationTest {
  static final Network NETWORK = Network.newNetwork();
  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0").withNetwork(NETWORK).withListener("kafka:19092");
  @Container
  static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.1")
      .withNetwork(NETWORK)
      .dependsOn(KAFKA)
      .withExposedPorts(8081)
      .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
      .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
      .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
      .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

  @Test
  void shouldScoreConfluentRecordsThroughConfluentsOwnRegistry() throws Exception {
    String run = RunSettings.newRun();
    Map<String, String> settings = RunSettings.isolated(KAFKA.getBootstrapServers(), "confluent-registry", run);
    settings.put("num.stream.threads", "2");
    settings.put("http.port", "0");
    settings.put("output.format", "confluent");
    settings.put("schema.registry.url", "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081));
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    SchemaRegistryClient client = new SchemaRegistryClient(config.schemaRegistry().orElseThrow());
    List<String> published = new ArrayList<>();
    try (StreamScoreService service = StreamScoreService.start(config);
        KafkaProducer<byte[], byte[]> producer = EmbeddedKafka.producer(KAFKA.getBootstrapServers())) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      for (String source : List.of("terminal", "web", "mobile")) {
        published.addAll(RegistryScoringIntegrationTest.ConfluentPublisher.register(config, client, source, 0.3).send(producer, 100));
      }
      int predictionId = client.latest(config.outputTopic() + "-value").id();
      List<String> scored = new ArrayList<>();
      long deadLetters = RegistryScoringIntegrationTest.readUntil(KAFKA.getBootstrapServers(), config, published.size(), value -> {
        assertEquals(predictionId, java.nio.ByteBuffer.wrap(value, 1, 4).getInt());
        scored.add("x");
      });
      assertEquals(0, deadLetters);
      assertEquals(published.size(), scored.size());
    }
  }
}
