package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import io.streamscore.support.StreamScoreProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real SIGTERM to a real {@code streamscore run} at each moment of its start-up, as a Kubernetes
 * rollout or scale-in sends it: when the log shows each stage beginning, and when Kafka Streams
 * starts its first rebalance. Each time the process must exit 0 (never the JVM's 143) within the
 * pod's termination grace period, and log no error: start-up stops and releases what it started,
 * or, once running, drains.
 */
class SigtermDuringStartupIntegrationTest {
  /** deploy/base's terminationGracePeriodSeconds (DeploymentFilesTest checks it covers shutdown.timeout.ms). */
  private static final Duration GRACE = Duration.ofSeconds(90);

  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  @TempDir
  Path temp;

  static Stream<Arguments> moments() {
    Stream<Arguments> stages = Stream.of(StartupStage.values()).map(s -> Arguments.of("Start-up: " + s.description()));
    return Stream.concat(stages, Stream.of(Arguments.of("Kafka Streams CREATED -> REBALANCING"), Arguments.of("REBALANCING -> RUNNING")));
  }

  @ParameterizedTest(name = "SIGTERM at \"{0}\"")
  @MethodSource("moments")
  void shouldExitZeroWithinTheGracePeriodWhenSigtermArrives(String logLine) throws Exception {
    Map<String, String> settings = new java.util.LinkedHashMap<>(io.streamscore.config.ConfigLoader.read(java.util.Optional.empty()));
    settings.putAll(RunSettings.isolated(KAFKA.bootstrapServers(), "sigterm", RunSettings.newRun()));
    settings.put("http.port", "-1");
    settings.put("num.stream.threads", "1");
    settings.put("startup.warmup.records", "3000");
    Path config = StreamScoreProcesses.writeConfig(temp.resolve("run.properties"), settings);
    Path log = temp.resolve("run.log");
    Process process = StreamScoreProcesses.start(config, log);
    try {
      long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!Files.readString(log).contains(logLine)) {
        assertTrue(process.isAlive(), "the instance exited before \"" + logLine + "\":\n" + Files.readString(log));
        assertTrue(System.nanoTime() < giveUp, "no \"" + logLine + "\" in the log within 3 minutes:\n" + Files.readString(log));
        process.waitFor(20, TimeUnit.MILLISECONDS); // polling the log for the moment to signal, not synchronising on time
      }
      long signalled = System.nanoTime();
      process.destroy(); // SIGTERM

      boolean exited = process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);

      Duration took = Duration.ofNanos(System.nanoTime() - signalled);
      String text = Files.readString(log);
      assertTrue(exited, "no exit within the " + GRACE.toSeconds() + " s grace period of SIGTERM:\n" + text);
      assertEquals(0, process.exitValue(), "exit code after SIGTERM at \"" + logLine + "\" (" + took.toMillis() + " ms):\n" + text);
      assertTrue(text.contains("SIGTERM received"), "the signal was handled by StreamScore:\n" + text);
      // StreamScore's own errors. Kafka's consumer logs one of its own ("StreamsTasksAssignedEvent
      // could not be completed before the consumer closed") when closed in its first
      // reconciliation; that is Kafka's wording for an abandoned join, not a failure.
      List<String> errors = text.lines().filter(l -> l.matches(".* ERROR .*\\] (i\\.s\\.|io\\.streamscore\\.).*")).toList();
      assertEquals(List.of(), errors, "errors logged on a stop at \"" + logLine + "\"");
      assertTrue(text.contains("Start-up stopped") || text.contains("Stopped in"), "the log says how it stopped:\n" + text);
    } finally {
      process.destroyForcibly();
    }
  }
}
