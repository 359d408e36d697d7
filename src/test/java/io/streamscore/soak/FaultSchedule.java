package io.streamscore.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When each fault is injected: a pure function of a seed and a length, so a failing seed replays
 * the same schedule. Faults come every 5–20 s; about one time in four two come at once. Kinds are
 * dealt from a shuffled deck of all kinds, so every kind appears in every run of
 * {@code FaultKind.values().length} consecutive faults, whatever the seed. Immutable.
 *
 * @param seed the seed it was drawn from
 * @param faults in order of their planned time
 */
record FaultSchedule(long seed, List<Fault> faults) {
  static final Duration FIRST_FAULT_AFTER = Duration.ofSeconds(10);
  static final Duration QUIET_END = Duration.ofSeconds(15);

  /**
   * One planned fault.
   *
   * @param number 1-based, in schedule order
   * @param at when to inject it, from the start of the soak's fault phase
   * @param hold how long it lasts before it is undone (outage length, pause before a restart, between scale steps)
   * @param pick which instance, among the running ones sorted by start, an instance fault acts on (modulo their count)
   */
  record Fault(int number, FaultKind kind, Duration at, Duration hold, int pick) {}

  FaultSchedule {
    faults = List.copyOf(faults);
  }

  /** The schedule for {@code seed}: faults from {@link #FIRST_FAULT_AFTER} until {@link #QUIET_END} before {@code length}. */
  static FaultSchedule draw(long seed, Duration length) {
    Random random = new Random(seed);
    List<FaultKind> deck = new ArrayList<>();
    List<Fault> faults = new ArrayList<>();
    long at = FIRST_FAULT_AFTER.toMillis();
    long last = length.minus(QUIET_END).toMillis();
    while (at <= last) {
      int together = random.nextInt(4) == 0 ? 2 : 1;
      for (int i = 0; i < together; i++) {
        if (deck.isEmpty()) {
          deck.addAll(List.of(FaultKind.values()));
          Collections.shuffle(deck, random);
        }
        FaultKind kind = deck.remove(0);
        faults.add(new Fault(faults.size() + 1, kind, Duration.ofMillis(at), Duration.ofMillis(5_000 + random.nextInt(15_001)),
            random.nextInt(1_000)));
      }
      at += 5_000 + random.nextInt(15_001);
    }
    return new FaultSchedule(seed, faults);
  }

  /** One line per fault, as printed at the start of a run. */
  String describe() {
    StringBuilder text = new StringBuilder("fault schedule for seed " + seed + " (" + faults.size() + " faults):\n");
    for (Fault f : faults) {
      text.append(String.format("  #%d at %5.1f s: %s, hold %.1f s, pick %d%n", f.number(), f.at().toMillis() / 1000.0, f.kind(),
          f.hold().toMillis() / 1000.0, f.pick()));
    }
    return text.toString();
  }
}
