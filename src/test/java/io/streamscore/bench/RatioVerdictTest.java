package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatioVerdictTest {
  private static final double GOAL = 0.8;

  @Test
  void ratiosWellAboveTheGoalAreMetWithTheMedianInsideTheInterval() {
    RatioVerdict v = RatioVerdict.of(List.of(0.90, 0.92, 0.88, 0.91, 0.93, 0.89, 0.90, 0.94), GOAL);

    assertEquals(RatioVerdict.Outcome.MET, v.outcome());
    assertEquals(0.905, v.median(), 1e-9);
    assertTrue(v.lower() >= GOAL && v.lower() <= v.median() && v.median() <= v.upper(), v.toString());
    assertEquals(8, v.repetitions());
    assertEquals(0, v.repetitionsToDecide());
  }

  @Test
  void ratiosWellBelowTheGoalAreMissed() {
    RatioVerdict v = RatioVerdict.of(List.of(0.72, 0.68, 0.80, 0.71, 0.70, 0.73), GOAL);

    assertEquals(RatioVerdict.Outcome.MISSED, v.outcome(), v.toString());
    assertTrue(v.upper() < GOAL, v.toString());
  }

  @Test
  void ratiosStraddlingTheGoalAreUndecidedAndSayHowManyMoreRepetitionsWouldDecide() {
    List<Double> ratios = List.of(0.70, 0.95, 0.78, 0.90, 0.84, 0.75, 0.88);
    RatioVerdict v = RatioVerdict.of(ratios, GOAL);

    assertEquals(RatioVerdict.Outcome.UNDECIDED, v.outcome(), v.toString());
    assertTrue(v.lower() < GOAL && v.upper() >= GOAL, v.toString());
    assertTrue(v.repetitionsToDecide() > ratios.size(), v.toString());
    assertTrue(v.describe(GOAL).contains("repetitions would decide it"), v.describe(GOAL));
  }

  @Test
  void aWiderSpreadGivesAWiderInterval() {
    RatioVerdict tight = RatioVerdict.of(List.of(0.90, 0.91, 0.89, 0.90, 0.91, 0.89), GOAL);
    RatioVerdict loose = RatioVerdict.of(List.of(0.70, 1.10, 0.80, 1.00, 0.85, 0.95), GOAL);

    assertTrue(loose.upper() - loose.lower() > tight.upper() - tight.lower(), tight + " / " + loose);
  }

  @Test
  void theSameRatiosAlwaysGiveTheSameInterval() {
    List<Double> ratios = List.of(0.81, 0.77, 0.86, 0.79, 0.83);

    assertEquals(RatioVerdict.of(ratios, GOAL), RatioVerdict.of(ratios, GOAL));
  }

  @Test
  void fewerThanThreeRepetitionsGiveNoVerdictAndRepetitionsWithoutBothRunsAreLeftOut() {
    RatioVerdict v = RatioVerdict.of(List.of(0.95, Double.NaN, 0.97), GOAL);

    assertEquals(RatioVerdict.Outcome.UNDECIDED, v.outcome());
    assertEquals(2, v.repetitions());
    assertTrue(v.describe(GOAL).contains("a verdict needs at least 3"), v.describe(GOAL));
  }

  @Test
  void aDecidedVerdictSaysItsIntervalAndOutcome() {
    String text = RatioVerdict.of(List.of(0.90, 0.92, 0.88, 0.91, 0.93), GOAL).describe(GOAL);

    assertTrue(text.matches("0\\.91 \\(90 % interval 0\\.\\d\\d–0\\.\\d\\d\\) over 5 repetitions: met against 0\\.80"), text);
  }
}
