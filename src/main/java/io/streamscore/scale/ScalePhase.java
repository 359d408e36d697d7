package io.streamscore.scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One phase of the scale benchmark's script (steady, a scale-out, a scale-in, a kill and restart, a
 * rolling restart) and what the output showed during it. {@link #measure} is a pure function of the
 * arrivals and of what was seen of the pods. Immutable.
 *
 * @param name what happened, e.g. "scale-out 3→4"
 * @param startMillis when the event began (the first pod started or signalled)
 * @param endMillis when the phase ended: the event done and settled
 * @param newPods pods started in this phase
 * @param stoppedPods pods signalled in this phase
 */
record ScalePhase(String name, long startMillis, long endMillis, List<Pod> newPods, List<Pod> stoppedPods) {

  /** How many predictions "the first predictions" of a cold cluster or a new pod are. */
  static final int FIRST = 1_000;

  /** Gaps longer than this count as a partition "without a prediction". */
  static final long GAP_THRESHOLD_MILLIS = 1_000;

  /**
   * What the output showed over a phase.
   *
   * @param predictions predictions that arrived in the phase
   * @param p50Millis end-to-end latency percentiles of those predictions, -1 when there were none
   * @param longestGapMillis the longest time any input partition went without a prediction arriving
   * @param partitionsOverThreshold input partitions that went longer than {@link #GAP_THRESHOLD_MILLIS} without one
   * @param keptOwner input partitions whose owner did not change through the phase (the group's own description)
   * @param longestGapKeptMillis the longest gap among those, -1 when there were none
   * @param keptOverThreshold those of them that went longer than {@link #GAP_THRESHOLD_MILLIS} without one
   * @param rebalance the pods' rebalance metrics: each {@code *_max} as its largest value seen in the phase, {@code rebalance_total} as the rebalances all pods started in it
   * @param startToReadyMillis for each new pod, start to Kafka Streams RUNNING (its /health/started)
   * @param startToFirstScoredMillis for each new pod, start to its first scored record
   * @param stopMillis for each signalled pod, signal to exit
   * @param firstP99Millis p99 of the first {@link #FIRST} predictions that arrived in the phase (a cold cluster's, in the start phase), -1 for fewer
   * @param newPodFirstP99Millis for each new pod, p99 of the first {@link #FIRST} predictions of the partitions it owned when they arrived, from its join; -1 for fewer
   */
  record Measured(long predictions, long p50Millis, long p99Millis, long maxMillis, long longestGapMillis, int partitionsOverThreshold,
      int keptOwner, long longestGapKeptMillis, int keptOverThreshold, Map<String, Double> rebalance, List<Long> startToReadyMillis, List<Long> startToFirstScoredMillis, List<Long> stopMillis,
      long firstP99Millis, List<Long> newPodFirstP99Millis) {}

  Measured measure(List<PredictionArrivals.Arrival> arrivals, List<org.apache.kafka.common.TopicPartition> partitions, GroupOwnership ownership,
      List<Pod> allPods) {
    int inputPartitions = partitions.size();
    long[] latencies = arrivals.stream().filter(a -> a.arrivalMillis() >= startMillis && a.arrivalMillis() < endMillis)
        .mapToLong(PredictionArrivals.Arrival::latencyMillis).sorted().toArray();
    long[] last = new long[inputPartitions];
    long[] longest = new long[inputPartitions];
    Arrays.fill(last, startMillis);
    for (PredictionArrivals.Arrival a : arrivals) {
      if (a.arrivalMillis() < startMillis || a.arrivalMillis() >= endMillis || a.inputPartition() < 0) {
        continue;
      }
      int p = a.inputPartition();
      longest[p] = Math.max(longest[p], a.arrivalMillis() - last[p]);
      last[p] = a.arrivalMillis();
    }
    int over = 0;
    long worst = 0;
    int kept = 0;
    int keptOver = 0;
    long worstKept = -1;
    for (int p = 0; p < inputPartitions; p++) {
      longest[p] = Math.max(longest[p], endMillis - last[p]);
      worst = Math.max(worst, longest[p]);
      if (longest[p] > GAP_THRESHOLD_MILLIS) {
        over++;
      }
      if (ownership.keptOwner(partitions.get(p), startMillis, endMillis).orElse(false)) {
        kept++;
        worstKept = Math.max(worstKept, longest[p]);
        if (longest[p] > GAP_THRESHOLD_MILLIS) {
          keptOver++;
        }
      }
    }
    return new Measured(latencies.length, percentile(latencies, 0.50), percentile(latencies, 0.99),
        latencies.length == 0 ? -1 : latencies[latencies.length - 1], worst, over, kept, worstKept, keptOver, rebalance(allPods),
        newPods.stream().map(p -> p.readyMillis < 0 ? -1 : p.readyMillis - p.startedMillis).toList(),
        newPods.stream().map(p -> p.firstScoredMillis < 0 ? -1 : p.firstScoredMillis - p.startedMillis).toList(),
        stoppedPods.stream().map(p -> p.exitedMillis < 0 ? -1 : p.exitedMillis - p.stopRequestedMillis).toList(),
        firstP99(arrivals.stream().filter(a -> a.arrivalMillis() >= startMillis && a.arrivalMillis() < endMillis).toList()),
        newPods.stream().map(pod -> firstP99(ownedBy(pod, arrivals, partitions, ownership))).toList());
  }

  /** The arrivals, in arrival order, of predictions for partitions {@code pod} owned when they arrived, from its join. */
  private static List<PredictionArrivals.Arrival> ownedBy(Pod pod, List<PredictionArrivals.Arrival> arrivals,
      List<org.apache.kafka.common.TopicPartition> partitions, GroupOwnership ownership) {
    String id = pod.processId;
    if (id == null || pod.joinedMillis < 0) {
      return List.of();
    }
    return arrivals.stream().filter(a -> a.arrivalMillis() >= pod.joinedMillis && a.inputPartition() >= 0)
        .filter(a -> ownership.ownerAt(partitions.get(a.inputPartition()), a.arrivalMillis()).map(o -> o.endsWith(id)).orElse(false))
        .sorted(java.util.Comparator.comparingLong(PredictionArrivals.Arrival::arrivalMillis)).toList();
  }

  /** p99 of the first {@link #FIRST} of {@code arrivals} by arrival; -1 when there are fewer. */
  static long firstP99(List<PredictionArrivals.Arrival> arrivals) {
    if (arrivals.size() < FIRST) {
      return -1;
    }
    long[] first = arrivals.stream().sorted(java.util.Comparator.comparingLong(PredictionArrivals.Arrival::arrivalMillis)).limit(FIRST)
        .mapToLong(PredictionArrivals.Arrival::latencyMillis).sorted().toArray();
    return percentile(first, 0.99);
  }

  private Map<String, Double> rebalance(List<Pod> pods) {
    Map<String, Double> result = new TreeMap<>();
    double rebalances = 0;
    for (Pod pod : pods) {
      Optional<Map<String, Double>> before = pod.scrapes.entrySet().stream().filter(e -> e.getKey() < startMillis)
          .max(Map.Entry.comparingByKey()).map(Map.Entry::getValue);
      List<Map<String, Double>> during = new ArrayList<>();
      pod.scrapes.forEach((at, values) -> {
        if (at >= startMillis && at < endMillis) {
          during.add(values);
        }
      });
      for (Map<String, Double> values : during) {
        values.forEach((name, value) -> {
          if (name.endsWith("_max")) {
            result.merge(name, value, Math::max);
          }
        });
      }
      double atStart = before.map(v -> v.getOrDefault(PodMetrics.REBALANCE_TOTAL, 0.0)).orElse(0.0);
      double atEnd = during.stream().mapToDouble(v -> v.getOrDefault(PodMetrics.REBALANCE_TOTAL, 0.0)).max().orElse(atStart);
      rebalances += Math.max(0, atEnd - atStart);
    }
    result.put(PodMetrics.REBALANCE_TOTAL, rebalances);
    return result;
  }

  /** The nearest-rank percentile of sorted {@code values}; -1 for none. */
  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
