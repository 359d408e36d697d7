package io.streamscore.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When a pod joined, and where its start-up went, read from its own log. */
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

  @Test
  void shouldReadEachStartupStageAndRunningFromTheLogInOrderOnceEach() {
    java.time.ZonedDateTime now = java.time.ZonedDateTime.of(2026, 12, 5, 1, 0, 0, 0, java.time.ZoneId.systemDefault());
    long nowMillis = now.toInstant().toEpochMilli();
    String log = String.join("\n",
        "00:59:50.100 INFO  [main] io.streamscore.app.RunCommand - Start-up: connecting to the schema registry",
        "00:59:50.200 INFO  [main] io.streamscore.app.RunCommand - Start-up: loading and warming up the model",
        "2026-12-05 00:59:51.000: I tensorflow/cc/saved_model/reader.cc:83] Reading SavedModel",
        "00:59:57.900 INFO  [main] io.streamscore.app.RunCommand - Start-up: joining the group",
        "00:59:58.400 INFO  [x-StreamThread-1] i.s.app.StreamScoreService - Kafka Streams REBALANCING -> RUNNING",
        "01:00:30.000 INFO  [x-StreamThread-1] i.s.app.StreamScoreService - Kafka Streams REBALANCING -> RUNNING");

    java.util.Map<String, Long> stages = Pod.startupStages(log, nowMillis);

    assertEquals(java.util.List.of("connecting to the schema registry", "loading and warming up the model", "joining the group", "RUNNING"),
        java.util.List.copyOf(stages.keySet()));
    assertEquals(nowMillis - 1_600, stages.get("RUNNING"), "the first RUNNING, not a later rebalance's");
    assertEquals(nowMillis - 9_800, stages.get("loading and warming up the model"));
  }
}
