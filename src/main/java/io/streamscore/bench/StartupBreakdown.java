package io.streamscore.bench;

import io.streamscore.ops.StartupTimeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The start-up phases of one worker, with the bench's own (first paced publish, first and last of
 * the first N predictions appended), as a table of milliseconds since the worker's process start.
 */
final class StartupBreakdown {
  private StartupBreakdown() {}

  /**
   * @param appended the broker append times of the first and the last of the first {@code firstN}
   *     predictions, or null when there were not that many
   */
  static String render(List<StartupTimeline.Phase> workerPhases, long publishingMillis, long[] appended, int firstN) {
    List<StartupTimeline.Phase> phases = new ArrayList<>(workerPhases);
    phases.add(new StartupTimeline.Phase("bench starts publishing (paced)", publishingMillis, ""));
    if (appended != null) {
      phases.add(new StartupTimeline.Phase("first prediction appended", appended[0], ""));
      phases.add(new StartupTimeline.Phase("predictions of the first " + firstN + " inputs appended", appended[1], ""));
    }
    phases.sort(Comparator.comparingLong(StartupTimeline.Phase::epochMillis));
    long origin = phases.stream().filter(p -> p.name().equals("process started")).mapToLong(StartupTimeline.Phase::epochMillis)
        .findFirst().orElse(phases.isEmpty() ? 0 : phases.get(0).epochMillis());
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "  %8s %8s  %s%n", "at ms", "+ms", "phase"));
    long previous = origin;
    for (StartupTimeline.Phase p : phases) {
      table.append(String.format(Locale.ROOT, "  %8d %8d  %s%s%n", p.epochMillis() - origin, p.epochMillis() - previous, p.name(),
          p.detail().isEmpty() ? "" : " (" + p.detail() + ")"));
      previous = p.epochMillis();
    }
    return table.toString();
  }
}
