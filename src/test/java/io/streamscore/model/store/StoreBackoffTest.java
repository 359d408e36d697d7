package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreBackoffTest {
  @Test
  void shouldDoubleThePollIntervalForEachFailureInARowUpToAMinute() {
    StoreBackoff backoff = new StoreBackoff(Duration.ofMillis(500));
    assertEquals(Duration.ofMillis(500), backoff.delay(1));
    assertEquals(Duration.ofSeconds(1), backoff.delay(2));
    assertEquals(Duration.ofSeconds(2), backoff.delay(3));
    assertEquals(Duration.ofSeconds(32), backoff.delay(7));
    assertEquals(Duration.ofMinutes(1), backoff.delay(8));
    assertEquals(Duration.ofMinutes(1), backoff.delay(Integer.MAX_VALUE));
  }

  @Test
  void shouldNeverWaitLessThanThePollIntervalWhenThatExceedsAMinute() {
    StoreBackoff backoff = new StoreBackoff(Duration.ofMinutes(5));
    assertEquals(Duration.ofMinutes(5), backoff.delay(1));
    assertEquals(Duration.ofMinutes(5), backoff.delay(4));
  }
}
