package io.streamscore.app;

import static io.streamscore.app.ModelStoreScoringIntegrationTest.DEMO_VERSION;
import static io.streamscore.app.ModelStoreScoringIntegrationTest.awaitTrue;
import static io.streamscore.app.ModelStoreScoringIntegrationTest.metric;
import static io.streamscore.app.ModelStoreScoringIntegrationTest.ready;
import static io.streamscore.app.ModelStoreScoringIntegrationTest.readyAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.support.DemoTraffic;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.LocalS3;
import io.streamscore.support.RunSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model store goes away for 20 s while records flow, under exactly_once_v2: the served version
 * goes on scoring, the pod stays ready and says the store is unreachable, nothing is lost or
 * dead-lettered, and the next version uploaded after the store is back is picked up.
 */
class ModelStoreOutageIntegrationTest {
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();
  @RegisterExtension
  static final LocalS3 S3 = new LocalS3();

  @TempDir
  Path cache;

  @Test
  void shouldScoreEveryRecordExactlyOnceStayReadyAndTakeTheNextVersionAcrossAStoreOutage() throws Exception {
    String run = RunSettings.newRun();
    String bucket = S3.createBucket("models-" + run);
    S3.putVersion(bucket, "fraud", 1, DEMO_VERSION);
    Map<String, String> settings = ModelStoreScoringIntegrationTest.settings(KAFKA, S3, "store-outage", run, bucket, cache);
    settings.put("processing.guarantee", "exactly_once_v2");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      Set<String> published;
      List<String> answersDuringOutage = new ArrayList<>();
      try (DemoTraffic traffic = DemoTraffic.start(KAFKA.bootstrapServers(), config, 30, Duration.ofMillis(100))) {
        S3.server().stop();
        awaitTrue(() -> ready(service).contains("\"model_store\":\"UNREACHABLE\""), "the health body reports the store unreachable");
        long end = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < end) { // The outage's length is the scenario; readiness is asked throughout it.
          HttpResponse<String> answer = readyAnswer(service);
          answersDuringOutage.add(answer.statusCode() + " " + answer.body());
          Thread.sleep(500);
        }
        assertEquals(0.0, metric(service, "streamscore_model_store_reachable"));
        assertTrue(metric(service, "streamscore_model_store_poll_errors_total") > 0, "failed polls are counted");
        S3.server().restart();
        S3.putVersion(bucket, "fraud", 2, DEMO_VERSION);
        awaitTrue(() -> service.scorer().model().version() == 2, "the version uploaded after the outage is served");
        awaitTrue(() -> ready(service).contains("\"model_store\":\"REACHABLE\""), "and the store reported reachable again");
        published = traffic.stop();
      }
      assertTrue(answersDuringOutage.stream().allMatch(a -> a.startsWith("200 ")), "ready throughout the outage: " + answersDuringOutage);
      assertTrue(answersDuringOutage.stream().allMatch(a -> a.contains("UNREACHABLE")), answersDuringOutage.toString());
      DemoTraffic.Read read = DemoTraffic.readPredictions(KAFKA.bootstrapServers(), config, published);
      assertEquals(0, read.deadLetters(), "no record dead-lettered for the outage");
      assertTrue(read.predictionsByInput().keySet().containsAll(published), "every record published has a prediction");
      assertEquals(0, read.scoredTwice(), "and only one");
      assertEquals(1, service.scorer().swaps());
      assertEquals(KafkaStreams.State.RUNNING, service.state());
    }
  }
}
