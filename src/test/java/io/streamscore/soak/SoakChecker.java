package io.streamscore.soak;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold at the end of a soak, checked on what a read_committed reader found after the
 * quiet drain. Pure: it sees only the maps it is given, so its rules are unit-tested on hand-made
 * inputs ({@code SoakCheckerTest}).
 *
 * <ul>
 *   <li>every good input has a prediction: exactly one under exactly_once_v2; under at_least_once
 *       at least one, the inputs scored more than once counted;
 *   <li>each prediction's model version was being served when it was scored: its {@code scored_at}
 *       lies in one of that version's {@link Served} intervals;
 *   <li>every bad input has a dead letter whose reason contains the expected words, and no
 *       prediction; exactly one under exactly_once_v2 (under at_least_once a replay writes it again:
 *       counted, like a prediction scored twice);
 *   <li>no good input is dead-lettered, and nothing is written for an input that was not published
 *       (a send that failed on the producer side may still have been written, at a position the
 *       producer never learnt: up to that many such outputs are allowed).
 * </ul>
 */
final class SoakChecker {
  private SoakChecker() {}

  /** A prediction as read back: the version that scored it and when. */
  record Scored(long modelVersion, long scoredAtMillis) {}

  /**
   * A span in which {@code version} was being served by at least one instance: from the moment it
   * appeared on disk (no instance can load it earlier) until the last instance was seen to have moved
   * off it or to have died, plus the watcher's period.
   */
  record Served(long version, long fromMillis, long toMillis) {
    boolean covers(long version, long millis) {
      return this.version == version && millis >= fromMillis && millis <= toMillis;
    }
  }

  /**
   * The checker's findings; {@link #problems()} empty means the soak passed. {@code unknownOutputs}:
   * inputs with an output that the producer never saw acknowledged (a failed send that was written).
   */
  record Verdict(int goodInputs, int lost, int duplicated, int deadLettersExpected, int deadLettersFound,
      int duplicatedDeadLetters, int unknownOutputs, List<String> problems) {
    Verdict {
      problems = List.copyOf(problems);
    }

    boolean passed() {
      return problems.isEmpty();
    }
  }

  private static final int SHOWN = 10;

  /**
   * @param good every good input, by position
   * @param bad every bad input, with words its dead letter's reason must contain
   * @param failedSends sends the producer saw fail (each may or may not be in the log)
   * @param predictions every prediction read, per input it points at
   * @param deadLetters every dead letter's reason, per input it points at
   * @param served the spans in which each version was served
   */
  static Verdict check(String guarantee, Set<InputId> good, Map<InputId, String> bad, int failedSends,
      Map<InputId, List<Scored>> predictions, Map<InputId, List<String>> deadLetters, List<Served> served) {
    boolean exactlyOnce = guarantee.equals("exactly_once_v2");
    Problems problems = new Problems();
    int lost = 0;
    int duplicated = 0;
    for (InputId id : good) {
      List<Scored> scored = predictions.getOrDefault(id, List.of());
      if (scored.isEmpty()) {
        lost++;
        problems.add("lost", id + " has no prediction");
      } else if (scored.size() > 1) {
        duplicated++;
        if (exactlyOnce) {
          problems.add("twice", id + " has " + scored.size() + " predictions under exactly_once_v2");
        }
      }
      if (deadLetters.containsKey(id)) {
        problems.add("good dead-lettered", id + " is a good input but was dead-lettered: " + deadLetters.get(id).get(0));
      }
    }
    for (Map.Entry<InputId, List<Scored>> e : predictions.entrySet()) {
      for (Scored s : e.getValue()) {
        if (served.stream().noneMatch(v -> v.covers(s.modelVersion(), s.scoredAtMillis()))) {
          problems.add("version", e.getKey() + " was scored at " + s.scoredAtMillis() + " by version " + s.modelVersion()
              + ", which was not being served then (served: " + spansOf(served, s.modelVersion()) + ")");
        }
      }
    }
    int found = 0;
    int duplicatedDeadLetters = 0;
    for (Map.Entry<InputId, String> e : bad.entrySet()) {
      List<String> reasons = deadLetters.getOrDefault(e.getKey(), List.of());
      if (reasons.isEmpty()) {
        problems.add("bad not dead-lettered", e.getKey() + " (expected a dead letter saying '" + e.getValue() + "') has none");
        continue;
      }
      found++;
      if (reasons.size() > 1) {
        duplicatedDeadLetters++;
        if (exactlyOnce) {
          problems.add("dead letter twice", e.getKey() + " has " + reasons.size() + " dead letters under exactly_once_v2");
        }
      }
      for (String reason : reasons) {
        if (!reason.contains(e.getValue())) {
          problems.add("reason", e.getKey() + ": the dead letter says '" + reason + "', expected it to contain '" + e.getValue() + "'");
        }
      }
      if (predictions.containsKey(e.getKey())) {
        problems.add("bad scored", e.getKey() + " is a bad input but has a prediction");
      }
    }
    Set<InputId> known = new HashSet<>(good);
    known.addAll(bad.keySet());
    Set<InputId> unknown = new HashSet<>(predictions.keySet());
    unknown.addAll(deadLetters.keySet());
    unknown.removeAll(known);
    if (unknown.size() > failedSends) {
      unknown.forEach(id -> problems.add("unknown", "an output points at " + id + ", which was never published (failed sends: "
          + failedSends + ")"));
    }
    return new Verdict(good.size(), lost, duplicated, bad.size(), found, duplicatedDeadLetters, unknown.size(), problems.lines());
  }

  private static String spansOf(List<Served> served, long version) {
    List<String> spans = new ArrayList<>();
    served.stream().filter(s -> s.version() == version).forEach(s -> spans.add(s.fromMillis() + ".." + s.toMillis()));
    return spans.isEmpty() ? "never" : String.join(", ", spans);
  }

  /** Problems grouped by kind, the first few of each shown in full and the rest counted. */
  private static final class Problems {
    private final Map<String, List<String>> byKind = new java.util.LinkedHashMap<>();

    void add(String kind, String line) {
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      byKind.forEach((kind, all) -> {
        all.stream().limit(SHOWN).forEach(lines::add);
        if (all.size() > SHOWN) {
          lines.add("... and " + (all.size() - SHOWN) + " more of kind '" + kind + "'");
        }
      });
      return lines;
    }
  }
}
