package io.streamscore.bench;

/**
 * What one mode did at one thread count. Latencies in milliseconds, memory in MB, CPU in cores
 * (CPU seconds per second of the backlog phase). Immutable.
 *
 * @param records inputs of the backlog phase (the throughput figure's base)
 * @param expectedPredictions every input of the run, backlog plus paced phase
 * @param distinctPredictions inputs that got a prediction
 * @param duplicates inputs that got more than one
 * @param failure why the run failed, or null
 */
public record RunResult(BenchMode mode, int threads, String guarantee, long records, double recordsPerSecond,
    double p50Ms, double p99Ms, double p999Ms, double rssMb, double heapMb, double cpuCores,
    long expectedPredictions, long distinctPredictions, long duplicates, String failure) {

  /** Every input got exactly one prediction. */
  public boolean exactlyOnePredictionPerInput() {
    return failure == null && distinctPredictions == expectedPredictions && duplicates == 0;
  }
}
