package io.streamscore.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The ways of serving one model to several stream threads that the benchmark compares, each
 * with the same topology, decoding and encoding; only the scorer differs.
 */
public enum BenchMode {
  /** The model call replaced by a constant prediction: what Kafka Streams alone can pass through. */
  PASSTHROUGH("passthrough"),
  /** One shared session, one record per call. */
  PER_RECORD("per-record"),
  /** Each stream thread loads its own copy of the model ("independent copies in each thread"). */
  PER_THREAD_COPIES("per-thread-copies"),
  /** A SavedModel loaded and closed for every record, as the widely copied example does. Bounded run. */
  SESSION_PER_RECORD("session-per-record"),
  /** What StreamScore ships: one shared session, each stream thread's records scored in batches across its tasks. */
  DEFAULT("default"),
  /**
   * The status quo StreamScore replaces: one process per source, each scoring only its source's
   * topics with its own copy of the model (each process as StreamScore's default), the run's
   * stream threads shared out over them.
   */
  PER_SOURCE_PROCESSES("per-source-processes");

  private final String label;

  BenchMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether this mode runs one worker process per source instead of one for all. */
  public boolean perSource() {
    return this == PER_SOURCE_PROCESSES;
  }

  /** The scorer each of this mode's worker processes runs. */
  public BenchMode workerMode() {
    return this == PER_SOURCE_PROCESSES ? DEFAULT : this;
  }

  /** Whether this mode gets its own small input instead of the shared backlog (it is too slow for it). */
  public boolean bounded() {
    return this == SESSION_PER_RECORD;
  }

  public static BenchMode of(String label) {
    return Arrays.stream(values()).filter(m -> m.label.equals(label.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown bench mode '" + label + "'; expected one of "
            + Arrays.stream(values()).map(BenchMode::label).toList()));
  }

  @Override
  public String toString() {
    return label;
  }
}
