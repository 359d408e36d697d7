package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamscore.soak.SoakChecker.Served;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTimelineTest {
  @Test
  void shouldCountAVersionAsServedFromItsAppearanceUntilOnePeriodAfterItWasLastSeen() {
    ModelTimeline timeline = new ModelTimeline(250);
    timeline.appeared(1, 0);
    timeline.observed(1_000, List.of(1L, 1L));
    timeline.appeared(2, 1_100);
    timeline.observed(1_250, List.of(1L, 2L));
    timeline.observed(1_500, List.of(2L));
    assertEquals(List.of(new Served(1, 0, 1_500), new Served(2, 1_100, 1_750)), timeline.served());
  }

  @Test
  void shouldNotCountAVersionThatWasPlacedButNeverSeenServed() {
    ModelTimeline timeline = new ModelTimeline(250);
    timeline.appeared(3, 0); // a refused version: on disk, never served
    assertEquals(List.of(), timeline.served());
  }
}
