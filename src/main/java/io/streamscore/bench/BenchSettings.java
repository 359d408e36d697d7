package io.streamscore.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One benchmark's parameters. Immutable.
 *
 * @param records measured inputs of the shared backlog every mode but session-per-record reads
 * @param boundedRecords inputs of session-per-record's own backlog (it scores tens per second)
 * @param partitions partitions of every input and output topic
 * @param latencySeconds length of the paced phase after the backlog, which measures latency
 * @param latencyRateShare rate of the paced phase, as a share of the rate the run reached
 * @param workerHeap -Xms/-Xmx of every worker JVM, e.g. {@code 1g}
 * @param overrides StreamScore configuration keys set in every worker (e.g. model.batch.max.rows)
 * @param repetitions how many times the whole schedule of modes and thread counts runs; the order
 *     of the modes is reversed in every other repetition, so each mode runs in both positions
 * @param warmupLoad send a discarded run through the fresh broker before the first measured one
 * @param jitWarmupRecords inputs in front of the measured ones in the shared backlog: each fresh worker
 *     JVM's warm-up (the JIT compiling its hot paths); rate and CPU are measured from the moment that
 *     many inputs have a prediction (0: from the first)
 */
public record BenchSettings(Path modelPath, long records, long boundedRecords, List<Integer> threads, List<BenchMode> modes,
    int partitions, double latencySeconds, double latencyRateShare, String processingGuarantee,
    String workerHeap, Path outputDirectory, Map<String, String> overrides, int repetitions, boolean warmupLoad, long jitWarmupRecords,
    int sources) {

  public BenchSettings {
    threads = List.copyOf(threads);
    modes = List.copyOf(modes);
    overrides = Map.copyOf(overrides);
    if (records < 1 || boundedRecords < 1) {
      throw new IllegalArgumentException("records and bounded records must be positive");
    }
    if (jitWarmupRecords < 0) {
      throw new IllegalArgumentException("jit warm-up records must be 0 or more, was " + jitWarmupRecords);
    }
    if (sources < 0) {
      throw new IllegalArgumentException("sources must be 0 (as configured) or more, was " + sources);
    }
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1");
    }
    if (threads.isEmpty() || modes.isEmpty()) {
      throw new IllegalArgumentException("name at least one thread count and one mode");
    }
  }
}
