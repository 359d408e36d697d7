package io.streamscore.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When a pod joined, read from its own log. */
class PodTest {
  @Test
  void shouldTakeAJoinTimeFromTheLogLinesOwnTimestamp() {
    java.time.ZonedDateTime now = java.time.ZonedDateTime.of(2026, 12, 4, 23, 15, 0, 0, java.time.ZoneId.systemDefault());
    long nowMillis = now.toInstant().toEpochMilli();

    assertEquals(now.withHour(23).withMinute(14).withSecond(57).withNano(250_000_000).toInstant().toEpochMilli(),
        Pod.logLineMillis("23:14:57.250 INFO  [main] i.s.app.StreamScoreService - ", nowMillis));
    assertEquals(now.minusDays(1).withHour(23).withMinute(59).withSecond(59).withNano(0).toInstant().toEpochMilli(),
        Pod.logLineMillis("23:59:59.000 INFO  [main] x - ", nowMillis), "a line from before midnight");
    assertEquals(nowMillis, Pod.logLineMillis("{\"@timestamp\":\"...\"}", nowMillis), "another layout: the time it was seen");
  }
}
