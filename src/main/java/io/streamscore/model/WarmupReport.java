package io.streamscore.model;

import java.time.Duration;

/**
 * What loading and warming up a model cost. Warm-up makes TensorFlow do its lazy work (graph
 * pruning and optimisation, kernel selection, allocator growth) once, on one thread, before any
 * stream thread calls the model, so no record pays for it and no two threads race through it.
 *
 * @param loadTime time to load the SavedModel and open its session
 * @param firstCall duration of the very first model call in this session (the cold call); zero when
 *     warm-up is off, because then the first record pays it
 * @param warmupTime total warm-up time, including the first call
 * @param calls number of warm-up calls made
 * @param fileRequests how many of those replayed requests from the version's
 *     {@code assets.extra/tf_serving_warmup_requests} file (TensorFlow Serving's format)
 */
public record WarmupReport(Duration loadTime, Duration firstCall, Duration warmupTime, int calls, int fileRequests) {}
