package io.streamscore.model;

import java.time.Duration;
import java.util.Optional;

/**
 * What loading and warming up a model cost, and what it was warmed with. Warm-up makes TensorFlow
 * do its lazy work (graph pruning and optimisation, kernel selection, allocator growth) once, on one
 * thread, before any stream thread calls the model, so no record pays for it and no two threads
 * race through it.
 *
 * @param loadTime time to load the SavedModel and open its session
 * @param firstCall duration of the very first model call in this session (the cold call); zero when
 *     warm-up is off, because then the first record pays it
 * @param warmupTime total warm-up time, including the first call
 * @param calls number of warm-up calls made
 * @param fileRequests how many of those replayed requests from the version's
 *     {@code assets.extra/tf_serving_warmup_requests} file (TensorFlow Serving's format)
 * @param rowsFrom what the calls at every batch size were made of
 * @param placeholdersRejected present when the model rejected StreamScore's placeholder values: the
 *     warning logged, naming the input. The version is served all the same, not fully warmed.
 */
public record WarmupReport(Duration loadTime, Duration firstCall, Duration warmupTime, int calls, int fileRequests,
    RowsFrom rowsFrom, Optional<String> placeholdersRejected) {

  /** Where the rows of the batch-size warm-up came from, most trusted first. */
  public enum RowsFrom {
    /** The sources' sample records ({@code source.<name>.warmup.records}). */
    SAMPLE_RECORDS,
    /** The rows of the version's TensorFlow Serving warm-up file. */
    WARMUP_FILE,
    /** Values StreamScore made up from the mappings or the signature. */
    PLACEHOLDERS,
    /** Warm-up was off. */
    NONE
  }

  public static WarmupReport off(Duration loadTime) {
    return new WarmupReport(loadTime, Duration.ZERO, Duration.ZERO, 0, 0, RowsFrom.NONE, Optional.empty());
  }
}
