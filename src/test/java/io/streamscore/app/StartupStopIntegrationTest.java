package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stop request (what SIGTERM becomes) at each stage of start-up, in process: start-up ends with
 * {@link StopRequest.StartupStopped} naming the stage, and leaves nothing behind: no Kafka client
 * or stream thread, no scratch topic. {@link SigtermDuringStartupIntegrationTest} sends the real
 * signal to a real process.
 */
class StartupStopIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  private static Map<String, String> settings(String run) {
    Map<String, String> settings = new HashMap<>(RunSettings.isolated(KAFKA.bootstrapServers(), "stop", run));
    settings.put("http.port", "0");
    settings.put("num.stream.threads", "1");
    settings.put("startup.warmup.records", "3000");
    return settings;
  }

  private static Set<String> kafkaThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.contains("kafka") || n.contains("StreamThread")).collect(Collectors.toSet());
  }

  private static List<String> scratchTopics(String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      return admin.listTopics().names().get().stream().filter(t -> t.startsWith(applicationId + "-warmup-")).toList();
    }
  }

  @ParameterizedTest
  @EnumSource(StartupStage.class)
  void shouldStopAtTheStageAStopRequestCameInAndLeaveNothingRunning(StartupStage stage) throws Exception {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings(RunSettings.newRun()));
    Set<String> before = kafkaThreads();
    AtomicReference<StopRequest> stop = new AtomicReference<>();
    stop.set(new StopRequest(entered -> {
      if (entered == stage) {
        stop.get().request("a test at " + stage);
      }
    }));

    StopRequest.StartupStopped stopped = assertThrows(StopRequest.StartupStopped.class, () -> StreamScoreService.start(config, stop.get()));

    assertEquals(Optional.of(stage), stopped.stage(), stopped.getMessage());
    Set<String> left = kafkaThreads();
    left.removeAll(before);
    assertEquals(Set.of(), left, "threads left running after start-up stopped at " + stage);
    assertEquals(List.of(), scratchTopics(config.applicationId()), "scratch topics left behind");
  }

  @Test
  void shouldDeleteTheScratchTopicsWhenAStopComesInTheMiddleOfTheWarmUp() throws Exception {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings(RunSettings.newRun()));
    AtomicReference<StopRequest> stop = new AtomicReference<>();
    // The stop comes from another thread once the scratch topics exist, as a signal would, while
    // the warm-up publishes and scores.
    stop.set(new StopRequest(entered -> {
      if (entered == StartupStage.KAFKA_WARMUP) {
        Thread signal = new Thread(() -> {
          try {
            while (scratchTopics(config.applicationId()).isEmpty()) {
              Thread.sleep(20); // polling the broker for the topics, not synchronising on time
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          stop.get().request("a test during the warm-up");
        }, "stop-signal");
        signal.setDaemon(true);
        signal.start();
      }
    }));

    StopRequest.StartupStopped stopped = assertThrows(StopRequest.StartupStopped.class, () -> StreamScoreService.start(config, stop.get()));

    assertEquals(Optional.of(StartupStage.KAFKA_WARMUP), stopped.stage(), stopped.getMessage());
    assertEquals(List.of(), scratchTopics(config.applicationId()), "the scratch topics are deleted on the way out");
  }

  @Test
  void shouldCutAWaitForAnAbsentBrokerShortWhenAStopComes() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> settings = settings(RunSettings.newRun());
    settings.put("bootstrap.servers", "127.0.0.1:" + closedPort);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    AtomicReference<StopRequest> stop = new AtomicReference<>();
    stop.set(new StopRequest(entered -> {
      if (entered == StartupStage.BROKER) {
        Thread signal = new Thread(() -> stop.get().request("a test while waiting for the broker"), "stop-signal");
        signal.start();
      }
    }));
    long start = System.nanoTime();

    StopRequest.StartupStopped stopped = assertThrows(StopRequest.StartupStopped.class, () -> StreamScoreService.start(config, stop.get()));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(Optional.of(StartupStage.BROKER), stopped.stage(), stopped.getMessage());
    // The wait for an absent broker gives up after 30 s by itself; the stop must end it sooner.
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "the wait for the broker ended with the stop, not its own 30 s: " + took);
  }
}
