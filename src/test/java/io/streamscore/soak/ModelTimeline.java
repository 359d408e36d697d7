package io.streamscore.soak;

import io.streamscore.soak.SoakChecker.Served;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which model versions were being served when, as the soak saw it: a version counts as served from
 * the moment it was placed under model.path (no instance can load it before) until the last
 * observation of an alive instance serving it, plus one observation period (the instance may have
 * moved off it, or died, at any moment until the next look). Thread-safe.
 */
final class ModelTimeline {
  private final long periodMillis;
  private final Map<Long, Long> appeared = new TreeMap<>();
  private final Map<Long, Long> lastSeen = new TreeMap<>();

  ModelTimeline(long periodMillis) {
    this.periodMillis = periodMillis;
  }

  /** {@code version} was placed under model.path at {@code millis} (recorded just before it appears). */
  synchronized void appeared(long version, long millis) {
    appeared.put(version, millis);
  }

  /** At {@code millis} the alive instances were serving {@code versions}. */
  synchronized void observed(long millis, Collection<Long> versions) {
    for (long v : versions) {
      lastSeen.put(v, millis);
    }
  }

  synchronized List<Served> served() {
    List<Served> served = new ArrayList<>();
    appeared.forEach((version, from) -> {
      Long seen = lastSeen.get(version);
      if (seen != null) {
        served.add(new Served(version, from, seen + periodMillis));
      }
    });
    return served;
  }
}
