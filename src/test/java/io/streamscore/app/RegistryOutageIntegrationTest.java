package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.prediction.Prediction;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.LocalRegistry;
import io.streamscore.support.RunSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema registry goes away for 20 s while records whose writer schemas StreamScore has not
 * seen yet arrive, under exactly_once_v2: none is dead-lettered, none is lost, none is scored twice.
 */
class RegistryOutageIntegrationTest {
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();
  @RegisterExtension
  static final LocalRegistry REGISTRY = new LocalRegistry();

  @Test
  void shouldScoreEveryRecordExactlyOnceAndDeadLetterNoneAcrossARegistryOutage() throws Exception {
    String run = RunSettings.newRun();
    Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "registry-outage", run);
    settings.put("num.stream.threads", "2");
    settings.put("processing.guarantee", "exactly_once_v2");
    settings.put("schema.registry.url", REGISTRY.url());
    settings.put("schema.registry.max.retries", "2");
    settings.put("schema.registry.retries.wait.ms", "500");
    settings.put("http.port", "0");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    SchemaRegistryClient producerSide = new SchemaRegistryClient(config.schemaRegistry().orElseThrow());
    List<String> published = new ArrayList<>();
    try (StreamScoreService service = StreamScoreService.start(config); KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      // Before the outage: web's schema is fetched and cached.
      var web = RegistryScoringIntegrationTest.ConfluentPublisher.register(config, producerSide, "web", 0);
      published.addAll(web.send(producer, 300));
      int[] before = {0};
      RegistryScoringIntegrationTest.readUntil(KAFKA.bootstrapServers(), config, published.size(), value -> before[0]++);
      assertEquals(published.size(), before[0], "web scored before the outage");
      // The producers register terminal's and mobile's schemas; StreamScore has not seen them.
      var terminal = RegistryScoringIntegrationTest.ConfluentPublisher.register(config, producerSide, "terminal", 0);
      var mobile = RegistryScoringIntegrationTest.ConfluentPublisher.register(config, producerSide, "mobile", 0);

      REGISTRY.registry().stop();
      published.addAll(terminal.send(producer, 300));
      published.addAll(mobile.send(producer, 300));
      published.addAll(web.send(producer, 300));
      awaitUnready(service);
      Thread.sleep(OUTAGE.toMillis()); // the outage itself: its length is the scenario, not a synchronisation
      REGISTRY.registry().restart();

      Map<String, Integer> scored = new HashMap<>();
      long deadLetters = RegistryScoringIntegrationTest.readUntil(KAFKA.bootstrapServers(), config, published.size(), value -> {
        Prediction p;
        try {
          p = Prediction.fromByteBuffer(ByteBuffer.wrap(value));
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
        scored.merge(p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset(), 1, Integer::sum);
      });
      assertEquals(0, deadLetters, "no record dead-lettered for the outage");
      assertEquals(published.size(), scored.size(), "every record scored after the outage");
      assertTrue(published.stream().allMatch(scored::containsKey), "the very records published");
      assertTrue(scored.values().stream().allMatch(n -> n == 1), "and each exactly once");
      assertEquals(KafkaStreams.State.RUNNING, service.state(), "Kafka Streams recovered by itself");
      assertTrue(service.metrics().scrape().lines().anyMatch(l -> l.startsWith("streamscore_schema_registry_errors_total")
          && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0), "the outage was seen and counted");
    }
  }

  /** Waits until readiness reports the registry unreachable: the outage reached the stream threads. */
  private static void awaitUnready(StreamScoreService service) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.opsPort().orElseThrow() + "/health/ready")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
      last = answer.statusCode() + " " + answer.body();
      if (answer.statusCode() == 503 && answer.body().contains("\"schema_registry\":\"UNREACHABLE\"")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("readiness never reported the registry down; last answer: " + last);
  }
}
