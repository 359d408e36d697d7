package io.streamscore.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a phase reports, from arrivals and ownership made up to show each rule. */
class ScalePhaseTest {
  private static final TopicPartition A = new TopicPartition("web", 0);
  private static final TopicPartition B = new TopicPartition("web", 1);

  private static ScalePhase phase(long start, long end) {
    return new ScalePhase("test", start, end, List.of(), List.of());
  }

  private static GroupOwnership ownership(Map<Long, Map<TopicPartition, String>> snapshots) {
    GroupOwnership ownership = new GroupOwnership(null, "g", io.streamscore.config.GroupProtocol.STREAMS);
    snapshots.forEach(ownership::record);
    return ownership;
  }

  @Test
  void shouldReportTheLongestGapOfAnyPartitionCountingFromThePhaseStartAndToItsEnd() {
    List<PredictionArrivals.Arrival> arrivals = new ArrayList<>();
    for (long t = 1_000; t < 11_000; t += 100) {
      arrivals.add(new PredictionArrivals.Arrival(t, 50, 0)); // partition A: every 100 ms throughout
    }
    arrivals.add(new PredictionArrivals.Arrival(1_500, 80, 1)); // partition B: once, then silent to the end
    GroupOwnership owners = ownership(Map.of(0L, Map.of(A, "p1", B, "p1")));

    ScalePhase.Measured m = phase(1_000, 11_000).measure(arrivals, List.of(A, B), owners, List.of());

    assertEquals(9_500, m.longestGapMillis());
    assertEquals(1, m.partitionsOverThreshold());
    assertEquals(2, m.keptOwner());
    assertEquals(1, m.keptOverThreshold());
    assertEquals(101, m.predictions());
    assertEquals(80, m.maxMillis());
  }

  @Test
  void shouldCountOnlyPartitionsWhoseOwnerNeverChangedAsKept() {
    GroupOwnership owners = ownership(Map.of(
        0L, Map.of(A, "p1", B, "p1"),
        2_000L, Map.of(A, "p1"), // B between owners: no owner named, not a change
        3_000L, Map.of(A, "p1", B, "p2")));

    ScalePhase.Measured m = phase(1_000, 5_000).measure(List.of(), List.of(A, B), owners, List.of());

    assertEquals(1, m.keptOwner());
    assertEquals(4_000, m.longestGapKeptMillis());
  }

  @Test
  void shouldTakeANewPodsFirstThousandFromThePartitionsItOwnedWhenEachArrived() {
    Pod pod = new Pod("pod-4", null, null, 0, 0);
    pod.joinedMillis = 1_000;
    pod.processId = "0000aaaa-0000-0000-0000-000000000004";
    // A moves to the new pod at 2,000; B stays with p1 throughout.
    GroupOwnership owners = ownership(Map.of(0L, Map.of(A, "p1", B, "p1"), 2_000L, Map.of(A, "app-" + pod.processId, B, "p1")));
    List<PredictionArrivals.Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      if (i < 500) {
        arrivals.add(new PredictionArrivals.Arrival(1_500 + i, 9_999, 0)); // A before its move (p1's): not the pod's
      }
      arrivals.add(new PredictionArrivals.Arrival(2_000 + i, i < 990 ? 10 : 500, 0)); // A, the pod's: 990 at 10 ms, then slower
      arrivals.add(new PredictionArrivals.Arrival(2_000 + i, 7_777, 1)); // B: never the pod's
    }
    ScalePhase phase = new ScalePhase("scale-out", 1_000, 10_000, List.of(pod), List.of());

    ScalePhase.Measured m = phase.measure(arrivals, List.of(A, B), owners, List.of());

    // The pod's first 1,000: 990 at 10 ms and 10 at 500 ms; nearest-rank p99 is the 990th.
    assertEquals(List.of(10L), m.newPodFirstP99Millis());
  }

  @Test
  void shouldReportNoFirstThousandWhenFewerArrived() {
    List<PredictionArrivals.Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < 999; i++) {
      arrivals.add(new PredictionArrivals.Arrival(1_000 + i, 10, 0));
    }

    assertEquals(-1, ScalePhase.firstP99(arrivals));
    arrivals.add(new PredictionArrivals.Arrival(5_000, 10, 0));
    assertEquals(10, ScalePhase.firstP99(arrivals));
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }

    assertEquals(50, ScalePhase.percentile(sorted, 0.50));
    assertEquals(99, ScalePhase.percentile(sorted, 0.99));
    assertEquals(-1, ScalePhase.percentile(new long[0], 0.99));
  }

  @Test
  void shouldCountRebalancesStartedInThePhaseAndTheLargestLatencySeen() {
    Pod pod = new Pod("pod-1", ProcessHandleless.PROCESS, java.nio.file.Path.of("pod-1.log"), 0, 0);
    pod.scrapes.put(500L, Map.of(PodMetrics.REBALANCE_TOTAL, 2.0, PodMetrics.REBALANCE_LATENCY_MAX, 900.0));
    pod.scrapes.put(1_500L, Map.of(PodMetrics.REBALANCE_TOTAL, 3.0, PodMetrics.REBALANCE_LATENCY_MAX, 120.0));
    pod.scrapes.put(2_500L, Map.of(PodMetrics.REBALANCE_TOTAL, 5.0, PodMetrics.REBALANCE_LATENCY_MAX, 300.0));

    ScalePhase.Measured m = phase(1_000, 3_000).measure(List.of(), List.of(A), ownership(Map.of()), List.of(pod));

    assertEquals(3.0, m.rebalance().get(PodMetrics.REBALANCE_TOTAL));
    assertEquals(300.0, m.rebalance().get(PodMetrics.REBALANCE_LATENCY_MAX));
  }

  /** A process that is never started: the rebalance arithmetic reads only a pod's scrapes. */
  private static final class ProcessHandleless {
    static final Process PROCESS = new Process() {
      @Override
      public java.io.OutputStream getOutputStream() {
        return java.io.OutputStream.nullOutputStream();
      }

      @Override
      public java.io.InputStream getInputStream() {
        return java.io.InputStream.nullInputStream();
      }

      @Override
      public java.io.InputStream getErrorStream() {
        return java.io.InputStream.nullInputStream();
      }

      @Override
      public int waitFor() {
        return 0;
      }

      @Override
      public int exitValue() {
        return 0;
      }

      @Override
      public void destroy() {}
    };
  }
}
