package io.streamscore.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.GroupProtocol;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale benchmark end to end on a real broker, small: one pod, so the script's scale-out is
 * 1→2, its kill and rolling restart act on one pod, under the default group protocol; and a
 * one-pod capacity run. Checks behaviour only (every phase measured, every new pod seen joining
 * and scoring, every input answered once, the files written); the figures are the benchmark's.
 */
@Timeout(900)
class ScaleBenchIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  private static ScaleSettings settings(Path out) {
    return new ScaleSettings(List.of(GroupProtocol.STREAMS), 200, 1, 4, new PodLimits(0, 0), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(3), Duration.ofMinutes(3), 2_000, Duration.ofSeconds(2), "exactly_once_v2", TestModels.demoModel().toAbsolutePath(), out, Map.of());
  }

  @Test
  void shouldMeasureEveryPhaseOfTheScriptAndAnswerEveryInputOnce(@TempDir Path out) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    List<ScaleBench.ProtocolRun> runs = new ScaleBench(settings(out), KAFKA.bootstrapServers(),
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    ScaleBench.ProtocolRun run = runs.get(0);
    assertEquals(List.of(), run.problems(), progress.toString(StandardCharsets.UTF_8));
    assertEquals(List.of("start (pods idle until publishing began)", "steady", "scale-out: the new pod starting, not yet in the group",
        "scale-out 1→2 (from the join)", "scale-in 2→1 (from SIGTERM)", "SIGKILL of one pod, and its restart", "rolling restart of every pod"),
        run.phases().stream().map(ScalePhase::name).toList());
    assertTrue(run.published() > 0);
    assertEquals(0, run.lost(), "every published input has a prediction");
    assertEquals(0, run.twice(), "none has two under exactly_once_v2");
    assertTrue(run.measured().get(1).predictions() > 0 && run.measured().get(1).p99Millis() >= 0, "steady had predictions");
    for (ScalePhase phase : run.phases()) {
      for (Pod pod : phase.newPods()) {
        assertTrue(pod.joinedMillis >= pod.startedMillis && pod.readyMillis >= 0, pod.name + " seen joining and RUNNING");
        java.util.Map<String, Long> stages = pod.startupStages();
        assertTrue(stages.containsKey(io.streamscore.app.StartupStage.KAFKA_WARMUP.description()) && stages.containsKey("RUNNING"),
            pod.name + "'s start-up stages read from its log: " + stages);
        assertEquals(phase.newPods().size(), run.measured().get(run.phases().indexOf(phase)).newPodFirstP99Millis().size(),
            "a first-1,000 figure (or -1) for each new pod");
      }
      for (Pod pod : phase.stoppedPods()) {
        assertTrue(pod.exitedMillis >= pod.stopRequestedMillis, pod.name + " seen exiting");
        assertEquals(pod.killed ? 137 : 0, pod.exitCode(), pod.name + (pod.killed ? " was killed" : " exits 0 on SIGTERM"));
      }
    }
    assertTrue(run.phases().get(3).newPods().get(0).firstScoredMillis > 0, "the joining pod scored records");
    ScalePhase.Measured steady = run.measured().get(1);
    assertEquals(4 * 3, steady.keptOwner(), "in a steady phase every input partition keeps its owner: " + steady);

    ScaleReport report = new ScaleReport(runs, "test");
    List<Path> files = report.write(out);
    assertTrue(Files.readString(files.get(0)).contains("### group.protocol=streams"));
    assertTrue(Files.readString(files.get(0)).contains("| pod | connecting to the schema registry |"), "the new pods' start-up table");
    assertTrue(Files.readAllLines(files.get(1)).size() > 5, "a timeline row per second");
    assertTrue(Files.size(files.get(2)) > 0, "the plot");
  }

  @Test
  void shouldDrainTheBacklogOnceWithEachPodCount(@TempDir Path out) throws Exception {
    List<ScaleBench.CapacityRun> drains = new ScaleBench(settings(out), KAFKA.bootstrapServers(), System.out)
        .capacity(GroupProtocol.STREAMS, List.of(1), 20_000, -1);

    ScaleBench.CapacityRun drain = drains.get(0);
    assertEquals(List.of(), drain.problems());
    assertEquals(0, drain.lost());
    assertEquals(0, drain.twice());
    assertTrue(drain.rate() > 0 && drain.podCpuSeconds() >= 0 && drain.seconds() >= 0, drain.toString());
  }
}
