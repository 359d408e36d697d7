package io.streamscore.soak;

import io.streamscore.soak.SoakReader.Sample;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's figures per fault kind: how many were injected, the most inputs in flight when one
 * began, the worst end-to-end latency read while one was in effect ("during": from injection until
 * it was undone) and afterwards ("after": from then until the lag was back under
 * {@value #LAG_BOUND}, and at least {@value #AFTER_AT_LEAST_MILLIS} ms), and the longest time from
 * an injection until the lag was back under {@value #LAG_BOUND} after the fault was undone.
 * Faults that overlap share their samples. Pure.
 */
final class SoakReport {
  static final long LAG_BOUND = 1_000;
  static final long AFTER_AT_LEAST_MILLIS = 10_000;

  private SoakReport() {}

  /** One row of the table; latencies and times in ms, -1 where no sample fell in the window. */
  record KindRow(FaultKind kind, int injected, int skipped, long maxInFlight, long worstLatencyDuring, long worstLatencyAfter,
      long maxTimeToLagBound, int neverRecovered) {}

  static List<KindRow> byKind(List<FaultOutcome> outcomes, List<Sample> latencies, List<Sample> lags) {
    Map<FaultKind, List<FaultOutcome>> grouped = new EnumMap<>(FaultKind.class);
    outcomes.forEach(o -> grouped.computeIfAbsent(o.fault().kind(), k -> new ArrayList<>()).add(o));
    List<KindRow> rows = new ArrayList<>();
    grouped.forEach((kind, list) -> {
      long inFlight = 0;
      long during = -1;
      long after = -1;
      long toBound = -1;
      int never = 0;
      int skipped = 0;
      for (FaultOutcome o : list) {
        if (o.skipped()) {
          skipped++;
          continue;
        }
        inFlight = Math.max(inFlight, o.inFlight());
        during = Math.max(during, max(latencies, o.injectedMillis(), o.endedMillis()));
        long recovered = firstUnderBound(lags, o.endedMillis());
        if (recovered < 0) {
          never++;
          after = Math.max(after, max(latencies, o.endedMillis(), Long.MAX_VALUE));
        } else {
          after = Math.max(after, max(latencies, o.endedMillis(), Math.max(recovered, o.endedMillis() + AFTER_AT_LEAST_MILLIS)));
          toBound = Math.max(toBound, recovered - o.injectedMillis());
        }
      }
      rows.add(new KindRow(kind, list.size() - skipped, skipped, inFlight, during, after, toBound, never));
    });
    return rows;
  }

  private static long max(List<Sample> samples, long from, long to) {
    long max = -1;
    for (Sample s : samples) {
      if (s.atMillis() >= from && s.atMillis() <= to) {
        max = Math.max(max, s.value());
      }
    }
    return max;
  }

  private static long firstUnderBound(List<Sample> lags, long from) {
    for (Sample s : lags) {
      if (s.atMillis() >= from && s.value() < LAG_BOUND) {
        return s.atMillis();
      }
    }
    return -1;
  }

  static String table(List<KindRow> rows) {
    StringBuilder text = new StringBuilder(
        "| fault | injected (skipped) | most in flight | worst latency during | worst latency after | longest to lag < 1,000 |\n|---|---|---|---|---|---|\n");
    for (KindRow r : rows) {
      text.append(String.format(Locale.ROOT, "| %s | %d (%d) | %,d | %s | %s | %s%s |%n", r.kind(), r.injected(), r.skipped(), r.maxInFlight(),
          seconds(r.worstLatencyDuring()), seconds(r.worstLatencyAfter()), seconds(r.maxTimeToLagBound()),
          r.neverRecovered() > 0 ? " (" + r.neverRecovered() + " never)" : ""));
    }
    return text.toString();
  }

  private static String seconds(long millis) {
    return millis < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
