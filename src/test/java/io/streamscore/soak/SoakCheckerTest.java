package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.soak.SoakChecker.Scored;
import io.streamscore.soak.SoakChecker.Served;
import io.streamscore.soak.SoakChecker.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoakCheckerTest {
  private static final String EOS = "exactly_once_v2";
  private static final String ALO = "at_least_once";
  private static final InputId A = new InputId("web", 0, 1);
  private static final InputId B = new InputId("web", 0, 2);
  private static final InputId BAD = new InputId("web", 1, 7);
  /** Version 1 from 0 to 1,000 ms, version 2 from 900 ms on: both served around the swap. */
  private static final List<Served> SERVED = List.of(new Served(1, 0, 1_000), new Served(2, 900, 10_000));

  private final Map<InputId, List<Scored>> predictions = new HashMap<>(Map.of(A, List.of(new Scored(1, 500)),
      B, List.of(new Scored(2, 950))));
  private final Map<InputId, List<String>> deadLetters = new HashMap<>(Map.of(BAD, List.of("source 'web': the record value is null (a tombstone)")));

  private Verdict check(String guarantee) {
    return SoakChecker.check(guarantee, Set.of(A, B), Map.of(BAD, "tombstone"), 0, predictions, deadLetters, SERVED);
  }

  @Test
  void shouldPassWhenEveryGoodInputHasOnePredictionAndEveryBadOneItsDeadLetter() {
    Verdict verdict = check(EOS);
    assertTrue(verdict.passed(), verdict.problems().toString());
    assertEquals(2, verdict.goodInputs());
    assertEquals(1, verdict.deadLettersFound());
  }

  @Test
  void shouldFailWhenAGoodInputHasNoPrediction() {
    predictions.remove(B);
    Verdict verdict = check(ALO);
    assertFalse(verdict.passed());
    assertEquals(1, verdict.lost());
    assertTrue(verdict.problems().get(0).contains("web/0@2 has no prediction"), verdict.problems().toString());
  }

  @Test
  void shouldFailWhenAGoodInputIsScoredTwiceUnderExactlyOnce() {
    predictions.put(A, List.of(new Scored(1, 500), new Scored(1, 600)));
    Verdict verdict = check(EOS);
    assertFalse(verdict.passed());
    assertEquals(1, verdict.duplicated());
  }

  @Test
  void shouldCountButAcceptAnInputScoredTwiceUnderAtLeastOnce() {
    predictions.put(A, List.of(new Scored(1, 500), new Scored(1, 600)));
    Verdict verdict = check(ALO);
    assertTrue(verdict.passed(), verdict.problems().toString());
    assertEquals(1, verdict.duplicated());
  }

  @Test
  void shouldFailWhenAPredictionCarriesAVersionThatWasNotBeingServedThen() {
    predictions.put(A, List.of(new Scored(2, 500))); // version 2 appeared on disk at 900 ms
    Verdict verdict = check(ALO);
    assertFalse(verdict.passed());
    assertTrue(verdict.problems().get(0).contains("by version 2, which was not being served then"), verdict.problems().toString());
  }

  @Test
  void shouldFailWhenAGoodInputIsDeadLettered() {
    deadLetters.put(A, List.of("model fraud version 1 did not answer within 2000 ms"));
    Verdict verdict = check(ALO);
    assertFalse(verdict.passed());
    assertTrue(verdict.problems().get(0).contains("is a good input but was dead-lettered"), verdict.problems().toString());
  }

  @Test
  void shouldFailWhenABadInputHasNoDeadLetterOrTheWrongReason() {
    deadLetters.remove(BAD);
    assertFalse(check(EOS).passed());
    deadLetters.put(BAD, List.of("something else"));
    Verdict verdict = check(EOS);
    assertFalse(verdict.passed());
    assertTrue(verdict.problems().get(0).contains("expected it to contain 'tombstone'"), verdict.problems().toString());
  }

  @Test
  void shouldFailWhenABadInputIsDeadLetteredTwiceUnderExactlyOnceAndCountItUnderAtLeastOnce() {
    deadLetters.put(BAD, List.of("a tombstone", "a tombstone"));
    assertFalse(check(EOS).passed());
    Verdict verdict = check(ALO);
    assertTrue(verdict.passed(), verdict.problems().toString());
    assertEquals(1, verdict.duplicatedDeadLetters());
  }

  @Test
  void shouldFailWhenAnOutputPointsAtAnInputThatWasNeverPublished() {
    predictions.put(new InputId("web", 3, 99), List.of(new Scored(1, 10)));
    assertFalse(check(EOS).passed());
  }

  @Test
  void shouldAllowAsManyOutputsOfUnknownInputsAsSendsFailed() {
    predictions.put(new InputId("web", 3, 99), List.of(new Scored(1, 10)));
    Verdict verdict = SoakChecker.check(EOS, Set.of(A, B), Map.of(BAD, "tombstone"), 1, predictions, deadLetters, SERVED);
    assertTrue(verdict.passed(), verdict.problems().toString());
    assertEquals(1, verdict.unknownOutputs());
  }
}
