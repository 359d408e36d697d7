package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.SchemaFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics and health answered over real HTTP by a running instance on a real broker. */
class OpsEndpointsIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeHealthAndCountScoredAndDeadLetteredRecordsInPrometheusFormat() throws Exception {
    String run = RunSettings.newRun();
    Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "ops", run);
    settings.put("num.stream.threads", "2");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    try (StreamScoreService service = StreamScoreService.start(config)) {
      String base = "http://127.0.0.1:" + service.opsPort().orElseThrow();
      assertEquals(200, get(base + "/health/live").statusCode());
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      HttpResponse<String> ready = get(base + "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"streams\":\"RUNNING\""), ready.body());
      assertEquals(200, get(base + "/health/started").statusCode());

      int good = 50;
      try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
        SyntheticRecords.Generator generator = SyntheticRecords.forSchema(
            SchemaFiles.read("schema", config.sources().get(0).schema()), 1, 0).orElseThrow();
        for (int i = 0; i < good; i++) {
          SyntheticRecords.KeyedBytes record = generator.next();
          producer.send(new ProducerRecord<>("terminal-" + run, record.key(), record.value()));
        }
        producer.send(new ProducerRecord<>("terminal-" + run, null, new byte[] {1, 2, 3}));
      }
      // Poll the endpoint itself until the counters reach what was sent.
      String metrics = "";
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (System.nanoTime() < deadline) {
        metrics = get(base + "/metrics").body();
        // A scrape may fall between the meters one record updates: wait until all of them have it.
        if (value(metrics, "streamscore_records_scored_total\\{source=\"terminal\"\\}") >= good
            && value(metrics, "streamscore_model_batch_size_count") >= good
            && value(metrics, "streamscore_records_dead_lettered_total\\{reason=\"RecordDecodingException\",topic=\"terminal-" + run + "\"\\}") >= 1) {
          break;
        }
        Thread.sleep(200); // a scrape interval, not a synchronisation: the loop checks the values it scrapes
      }
      assertEquals(good, value(metrics, "streamscore_records_scored_total\\{source=\"terminal\"\\}"));
      assertEquals(1, value(metrics, "streamscore_records_dead_lettered_total\\{reason=\"RecordDecodingException\",topic=\"terminal-" + run + "\"\\}"));
      assertEquals(1, value(metrics, "streamscore_model_info\\{model=\"fraud\",version=\"1\"\\}"));
      assertEquals(good, value(metrics, "streamscore_model_batch_size_count"));
      assertTrue(metrics.contains("streamscore_model_call_seconds_bucket"), "model call latency histogram");
      assertTrue(value(metrics, "streamscore_process_resident_memory_bytes") > 100e6, "resident memory includes TensorFlow");
      assertTrue(metrics.contains("kafka_stream_"), "Kafka Streams' own client metrics");
      assertEquals(0, value(metrics, "streamscore_model_versions_refused_total"));

      // The Grafana dashboard of the local stack plots only series that exist.
      String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("deploy/compose/grafana/dashboards/streamscore.json"));
      Matcher names = Pattern.compile("\\b((?:streamscore|kafka)_[a-z0-9_]+)").matcher(dashboard);
      int checked = 0;
      while (names.find()) {
        assertTrue(metrics.contains(names.group(1)), "the dashboard plots " + names.group(1) + ", which /metrics does not serve");
        checked++;
      }
      assertTrue(checked >= 8, "dashboard series checked: " + checked);

      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode(), "nothing on the operations port accepts writes");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first sample whose name and labels match {@code series}, or -1. */
  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

}
