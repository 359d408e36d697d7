package io.streamscore.bench;

/**
 * What one mode did at one thread count in one repetition. Rates and CPU are of the backlog after
 * the worker's JIT warm-up ({@link BenchSettings#jitWarmupRecords()}). Latencies in milliseconds, memory in MB,
 * CPU in cores (CPU seconds per second). Immutable.
 *
 * @param records measured inputs of the backlog phase (the throughput figure's base), after the JIT warm-up
 * @param expectedPredictions every input of the run, backlog plus paced phase
 * @param distinctPredictions inputs that got a prediction
 * @param duplicates inputs that got more than one
 * @param failure why the run failed, or null
 * @param conditions when it ran, and what else the machine was doing meanwhile
 * @param cpu the worker's CPU per backlog record, by kind of thread
 * @param batches rows per model call, and the model's own cost per row at that batch size
 * @param wholeRecordsPerSecond the rate over the whole backlog, the fresh JVM's warm-up included
 *     ({@code recordsPerSecond} leaves out that warm-up, {@link BenchSettings#jitWarmupRecords()})
 */
public record RunResult(BenchMode mode, int threads, String guarantee, long records, double recordsPerSecond,
    double p50Ms, double p99Ms, double p999Ms, double rssMb, double heapMb, double cpuCores,
    long expectedPredictions, long distinctPredictions, long duplicates, String failure,
    Conditions conditions, CpuPerRecord cpu, Batches batches, double wholeRecordsPerSecond) {

  /** Other work on the machine above this many cores during a run makes the run not a figure. */
  public static final double FOREIGN_CORES_LIMIT = 0.25;

  /**
   * @param repetition 1-based repetition of the whole schedule
   * @param position 1-based position of this mode among the modes run at this thread count in this repetition
   * @param loadStart the machine's one-minute load average when the run's backlog phase started
   * @param loadEnd the same when it ended (it includes the benchmark's own broker, worker and reader)
   * @param foreignCores cores used meanwhile by processes other than the benchmark's own (runner, broker, worker)
   */
  public record Conditions(int repetition, int position, double loadStart, double loadEnd, double foreignCores) {
    public static final Conditions UNKNOWN = new Conditions(1, 1, Double.NaN, Double.NaN, Double.NaN);
  }

  /** The worker's CPU per backlog record in microseconds, by kind of thread ({@link ThreadCpuSplit}). */
  public record CpuPerRecord(double stream, double tensorflow, double gc, double jit, double rest, double total) {
    public static final CpuPerRecord UNKNOWN = new CpuPerRecord(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static CpuPerRecord of(ThreadCpuSplit.Sample delta, long records) {
      double k = 1e6 / records;
      return new CpuPerRecord(delta.stream() * k, delta.tensorflow() * k, delta.gc() * k, delta.jit() * k, delta.rest() * k,
          delta.total() * k);
    }
  }

  /**
   * @param meanRowsPerCall backlog rows over the topology's model calls
   * @param p50RowsPerCall the median model call's rows
   * @param modelCpuMicrosPerRow the model alone, called from one thread at the mean batch size in the same worker
   */
  public record Batches(double meanRowsPerCall, int p50RowsPerCall, double modelCpuMicrosPerRow) {
    public static final Batches UNKNOWN = new Batches(Double.NaN, 0, Double.NaN);
  }

  /** Every input got exactly one prediction. */
  public boolean exactlyOnePredictionPerInput() {
    return failure == null && distinctPredictions == expectedPredictions && duplicates == 0;
  }

  /** A run that completed with no other work on the machine: its figures count. */
  public boolean figure() {
    return exactlyOnePredictionPerInput() && !(conditions.foreignCores() > FOREIGN_CORES_LIMIT);
  }
}
