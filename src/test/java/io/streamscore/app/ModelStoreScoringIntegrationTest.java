package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.prediction.Prediction;
import io.streamscore.support.DemoTraffic;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.LocalS3;
import io.streamscore.support.LocalS3Server;
import io.streamscore.support.RunSettings;
import io.streamscore.support.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * StreamScore serving a model from a bucket on a real S3 server (S3Proxy) while records flow: it
 * starts from the store, takes a version uploaded object by object only once its marker is there,
 * swaps it in once, refuses a corrupt one without downloading it again, and loses nothing.
 */
class ModelStoreScoringIntegrationTest {
  static final Path DEMO_VERSION = TestModels.demoModel().resolve("1");
  static final Duration POLL = Duration.ofMillis(250);
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();
  @RegisterExtension
  static final LocalS3 S3 = new LocalS3();

  @TempDir
  Path cache;

  private static Map<String, String> settings(String prefix, String run, String bucket, Path cache) {
    return settings(KAFKA, S3, prefix, run, bucket, cache);
  }

  /** A run of its own on {@code kafka}, its model {@code s3://bucket/fraud} on {@code s3}, polled every 250 ms, health on a free port. */
  static Map<String, String> settings(EmbeddedKafka kafka, LocalS3 s3, String prefix, String run, String bucket, Path cache) {
    Map<String, String> settings = RunSettings.isolated(kafka.bootstrapServers(), prefix, run);
    settings.putAll(s3.modelSettings(bucket, "fraud", cache));
    settings.put("num.stream.threads", "2");
    settings.put("model.poll.interval.ms", Long.toString(POLL.toMillis()));
    settings.put("http.port", "0");
    return settings;
  }

  @Test
  void shouldStartFromTheStoreAndSwapOnceAfterTheMarkerWhenAVersionIsUploadedObjectByObjectWhileRecordsFlow() throws Exception {
    String run = RunSettings.newRun();
    String bucket = S3.createBucket("models-" + run);
    S3.putVersion(bucket, "fraud", 1, DEMO_VERSION);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings("store", run, bucket, cache));
    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertEquals(1, service.scorer().model().version());
      assertEquals("fraud", service.scorer().model().name(), "named after the bucket path, not the cache directory");
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      assertTrue(ready(service).endsWith("\"model_store\":\"REACHABLE\"}"), ready(service));
      assertEquals(1.0, metric(service, "streamscore_model_store_reachable"));
      Set<String> published;
      try (DemoTraffic traffic = DemoTraffic.start(KAFKA.bootstrapServers(), config, 30, Duration.ofMillis(100))) {
        // Version 2, object by object, two seconds (eight polls) apart, the marker last.
        for (String file : LocalS3Server.files(DEMO_VERSION)) {
          S3.server().put(S3.client(), bucket, LocalS3Server.key("fraud", 2, file), DEMO_VERSION.resolve(file));
          Thread.sleep(2_000); // The upload's pace: the scenario, not a synchronisation.
          assertEquals(1, service.scorer().model().version(), "after " + file + ", before the marker");
          assertEquals(0, service.scorer().swaps());
          assertFalse(Files.exists(cachedVersions().resolve("2")), "nothing of version 2 downloaded before its marker");
        }
        S3.server().putMarker(S3.client(), bucket, "fraud", 2);
        awaitTrue(() -> service.scorer().swaps() == 1, "version 2 swapped in after its marker");
        awaitTrue(() -> !Files.exists(cachedVersions().resolve("1")), "version 1 leaves the cache once no longer served");
        published = traffic.stop();
      }
      DemoTraffic.Read read = DemoTraffic.readPredictions(KAFKA.bootstrapServers(), config, published);
      assertEquals(0, read.deadLetters(), "no record dead-lettered");
      assertTrue(read.predictionsByInput().keySet().containsAll(published), "every record published has a prediction");
      assertEquals(0, read.scoredTwice(), "and only one");
      Map<String, List<long[]>> versionsByPartition = new HashMap<>();
      read.predictionsByInput().forEach((input, predictions) -> {
        Prediction p = predictions.get(0);
        versionsByPartition.computeIfAbsent(p.getTopic() + "/" + p.getPartition(), k -> new ArrayList<>())
            .add(new long[] {p.getOffset(), p.getModelVersion()});
      });
      assertTrue(versionsByPartition.values().stream().flatMap(List::stream).anyMatch(v -> v[1] == 1), "version 1 scored");
      assertTrue(versionsByPartition.values().stream().flatMap(List::stream).anyMatch(v -> v[1] == 2), "version 2 scored");
      versionsByPartition.forEach((partition, scored) -> {
        scored.sort(Comparator.comparingLong(v -> v[0]));
        for (int i = 1; i < scored.size(); i++) {
          assertTrue(scored.get(i)[1] >= scored.get(i - 1)[1], "versions never go back within " + partition);
        }
      });
      for (int i = 0; i < 10; i++) {
        service.scorer().poll();
      }
      assertEquals(1, service.scorer().swaps(), "an unchanged store swaps nothing more");
      assertEquals(2.0, metric(service, "streamscore_model_store_downloads_total"), "and downloads nothing more");
    }
    assertEquals(List.of(), list(cache), "the process's cache directory goes with it");
  }

  @Test
  void shouldRefuseACorruptVersionFromTheStoreNeverDownloadItAgainAndTakeItsRepairOnce() throws Exception {
    String run = RunSettings.newRun();
    String bucket = S3.createBucket("models-" + run);
    S3.putVersion(bucket, "fraud", 1, DEMO_VERSION);
    S3.putVersion(bucket, "candidate", 5, DEMO_VERSION);
    Map<String, String> settings = settings("store-corrupt", run, bucket, cache);
    settings.put("model.poll.interval.ms", "0"); // This test polls itself.
    settings.put("shadow.model.path", "s3://" + bucket + "/candidate");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertEquals(1.0, metric(service, "streamscore_model_store_reachable{model=\"candidate\",role=\"shadow\"}"), "the shadow candidate from the store");
      for (String file : LocalS3Server.files(DEMO_VERSION)) {
        String key = LocalS3Server.key("fraud", 2, file);
        if (file.equals("saved_model.pb")) {
          S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("not a SavedModel"));
        } else {
          S3.server().put(S3.client(), bucket, key, DEMO_VERSION.resolve(file));
        }
      }
      S3.server().putMarker(S3.client(), bucket, "fraud", 2);

      assertEquals(1, service.scorer().poll());
      assertEquals(1, service.scorer().refusals().size());
      assertTrue(service.scorer().refusals().get(0).reason().contains("cannot be loaded"), service.scorer().refusals().get(0).reason());
      for (int i = 0; i < 10; i++) {
        assertEquals(1, service.scorer().poll(), "version 1 goes on serving");
      }
      assertEquals(1, service.scorer().refusals().size(), "refused once, not at every poll");
      assertEquals(2.0, metric(service, "streamscore_model_store_downloads_total{model=\"fraud\",role=\"primary\"}"),
          "version 1, and the corrupt version 2 once");

      S3.server().put(S3.client(), bucket, LocalS3Server.key("fraud", 2, "saved_model.pb"), DEMO_VERSION.resolve("saved_model.pb"));
      assertEquals(2, service.scorer().poll(), "the repaired version 2 (new ETag) is downloaded and served");
      assertEquals(1, service.scorer().swaps());
    }
  }

  /** The one model cache directory of the service under test. */
  private Path cachedVersions() throws Exception {
    List<Path> dirs = list(cache).stream().filter(p -> p.getFileName().toString().startsWith("model-")).toList();
    assertEquals(1, dirs.size(), dirs.toString());
    return dirs.get(0);
  }

  static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }

  static String ready(StreamScoreService service) throws Exception {
    return readyAnswer(service).body();
  }

  static HttpResponse<String> readyAnswer(StreamScoreService service) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + service.opsPort().orElseThrow() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first scraped metric line starting with {@code prefix}. */
  static double metric(StreamScoreService service, String prefix) {
    return service.metrics().scrape().lines().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError("no metric " + prefix));
  }

  static void awaitTrue(Check condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(50); // Polling interval of the condition.
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }
}
