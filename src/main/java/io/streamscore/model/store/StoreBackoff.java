package io.streamscore.model.store;

import java.time.Duration;

/**
 * How long to wait before listing an unreachable store again: the poll interval, doubled for each
 * failed attempt in a row, up to a minute (or the poll interval, if that is longer). A store that
 * is down is not asked every poll, and one that is back is noticed within the current wait. The
 * SDK's own retries happen inside each attempt. Immutable.
 *
 * @param pollInterval the model's poll interval
 */
public record StoreBackoff(Duration pollInterval) {
  static final Duration CAP = Duration.ofMinutes(1);

  /** The wait after {@code consecutiveFailures} failed attempts in a row (at least 1). */
  public Duration delay(int consecutiveFailures) {
    Duration cap = pollInterval.compareTo(CAP) > 0 ? pollInterval : CAP;
    Duration delay = pollInterval;
    for (int i = 1; i < consecutiveFailures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
