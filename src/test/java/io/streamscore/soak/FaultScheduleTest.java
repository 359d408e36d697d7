package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  @Test
  void shouldDrawTheSameScheduleWhenGivenTheSameSeed() {
    assertEquals(FaultSchedule.draw(42, Duration.ofMinutes(30)), FaultSchedule.draw(42, Duration.ofMinutes(30)));
  }

  @Test
  void shouldDrawAnotherScheduleWhenGivenAnotherSeed() {
    assertNotEquals(FaultSchedule.draw(42, Duration.ofMinutes(3)).faults(), FaultSchedule.draw(43, Duration.ofMinutes(3)).faults());
  }

  @Test
  void shouldInjectEveryKindWhenTheScheduleIsLongEnough() {
    for (long seed = 0; seed < 50; seed++) {
      assertEquals(EnumSet.allOf(FaultKind.class), kinds(FaultSchedule.draw(seed, Duration.ofMinutes(10))), "seed " + seed);
    }
  }

  @Test
  void shouldInjectEveryKindInTheDefaultThreeMinuteRun() {
    SoakSettings defaults = SoakSettings.from(new java.util.Properties());
    assertEquals(3, defaults.length().toMinutes());
    assertEquals(EnumSet.allOf(FaultKind.class), kinds(FaultSchedule.draw(defaults.seed(), defaults.length())));
  }

  private static Set<FaultKind> kinds(FaultSchedule schedule) {
    return schedule.faults().stream().map(FaultSchedule.Fault::kind)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class)));
  }

  @Test
  void shouldSpaceFaultsFiveToTwentySecondsApartAndSometimesInjectTwoAtOnce() {
    List<FaultSchedule.Fault> faults = FaultSchedule.draw(7, Duration.ofMinutes(30)).faults();
    List<Duration> times = faults.stream().map(FaultSchedule.Fault::at).distinct().toList();
    for (int i = 1; i < times.size(); i++) {
      long gap = times.get(i).minus(times.get(i - 1)).toMillis();
      assertTrue(gap >= 5_000 && gap <= 20_000, "gap " + gap + " ms");
    }
    assertTrue(times.size() < faults.size(), "some faults share their time");
    assertTrue(faults.stream().allMatch(f -> f.hold().toMillis() >= 5_000 && f.hold().toMillis() <= 20_000), "holds of 5-20 s");
  }

  @Test
  void shouldLeaveTheEndQuietSoThatTheLastFaultsEndBeforeTheDrain() {
    Duration length = Duration.ofMinutes(3);
    FaultSchedule schedule = FaultSchedule.draw(11, length);
    assertTrue(schedule.faults().stream().allMatch(f -> f.at().compareTo(length.minus(FaultSchedule.QUIET_END)) <= 0));
    assertTrue(schedule.faults().get(0).at().equals(FaultSchedule.FIRST_FAULT_AFTER));
  }
}
