package io.streamscore.scale;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One StreamScore instance of the scale benchmark: a JVM in its own cgroup, with its own log and
 * operations port, and what was seen of it: when it was started, became ready, first scored a
 * record, was told to stop, and exited; and its Kafka clients' rebalance metrics as last scraped.
 * Written by the benchmark's threads, read by its report: the fields are volatile or concurrent.
 */
final class Pod {
  final String name;
  final Process process;
  final Path log;
  final int httpPort;
  final long startedMillis;
  /** When its Kafka Streams was started, so joined the group (seen in its log by the scraper). */
  volatile long joinedMillis = -1;
  /** Its Kafka Streams process id, from its stream threads' names in the log after the join; null until seen. */
  volatile String processId;
  volatile long readyMillis = -1;
  volatile long firstScoredMillis = -1;
  volatile long stopRequestedMillis = -1;
  volatile long exitedMillis = -1;
  volatile boolean killed;
  /** Rebalance metrics by name, from each scrape, keyed by scrape time. */
  final Map<Long, Map<String, Double>> scrapes = new ConcurrentHashMap<>();

  Pod(String name, Process process, Path log, int httpPort, long startedMillis) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.startedMillis = startedMillis;
  }

  /**
   * Reads the log for the line that says Kafka Streams started, when not seen yet, and takes its
   * time from the line's own timestamp: the scraper that calls this may come round seconds later on
   * a loaded machine, and the group may have moved tasks to the pod by then.
   */
  void scanForJoin() {
    if (joinedMillis >= 0 && processId != null) {
      return;
    }
    try {
      String text = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
      int at = text.indexOf(JOINED);
      if (at >= 0 && joinedMillis < 0) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        joinedMillis = logLineMillis(text.substring(lineStart, at), System.currentTimeMillis());
      }
      if (at >= 0 && processId == null) {
        // After the join line: the start-up warm-up's scratch Kafka Streams has a process id of its own.
        java.util.regex.Matcher thread = STREAM_THREAD.matcher(text);
        if (thread.find(at)) {
          processId = thread.group(1);
        }
      }
    } catch (java.io.IOException e) {
      // Not written yet.
    }
  }

  /**
   * The time of a log line that starts with StreamScore's text layout's {@code HH:mm:ss.SSS} (the
   * system zone, today; yesterday when that would be in the future), or {@code now} when it does
   * not start so (another layout).
   */
  static long logLineMillis(String line, long now) {
    try {
      java.time.LocalTime time = java.time.LocalTime.parse(line.substring(0, 12));
      java.time.ZoneId zone = java.time.ZoneId.systemDefault();
      java.time.ZonedDateTime stamped = java.time.Instant.ofEpochMilli(now).atZone(zone).with(time);
      if (stamped.toInstant().toEpochMilli() > now + 1_000) {
        stamped = stamped.minusDays(1);
      }
      return stamped.toInstant().toEpochMilli();
    } catch (RuntimeException e) {
      return now;
    }
  }

  /** A stream thread's name: {@code <application.id>-<process id>-StreamThread-<n>}. */
  static final java.util.regex.Pattern STREAM_THREAD =
      java.util.regex.Pattern.compile("-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-StreamThread-\\d+");

  /** StreamScoreService logs this as KafkaStreams.start() sends the first join or heartbeat. */
  static final String JOINED = "Kafka Streams CREATED -> REBALANCING";

  /** Log lines that mark where a start-up went: each stage's beginning, then Kafka Streams RUNNING. */
  static final String STAGE = "Start-up: ";
  static final String RUNNING = "Kafka Streams REBALANCING -> RUNNING";

  /**
   * When each start-up stage began and when Kafka Streams first ran, from {@code log}'s own
   * timestamps, in log order: stage description (or "RUNNING") to epoch milliseconds. A stage the
   * log does not show is absent.
   */
  static java.util.Map<String, Long> startupStages(String log, long now) {
    java.util.Map<String, Long> stages = new java.util.LinkedHashMap<>();
    for (String line : log.split("\n")) {
      int at = line.indexOf(STAGE);
      if (at >= 0) {
        stages.putIfAbsent(line.substring(at + STAGE.length()).trim(), logLineMillis(line, now));
      } else if (line.contains(RUNNING)) {
        stages.putIfAbsent("RUNNING", logLineMillis(line, now));
      }
    }
    return stages;
  }

  /** {@link #startupStages} of this pod's log; empty when it cannot be read. */
  java.util.Map<String, Long> startupStages() {
    try {
      return startupStages(java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1), System.currentTimeMillis());
    } catch (java.io.IOException e) {
      return java.util.Map.of();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends at a scale-in or a rolling restart; returns whether it exited within {@code seconds}. */
  boolean terminate(long seconds) throws InterruptedException {
    stopRequestedMillis = System.currentTimeMillis();
    process.destroy();
    boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
    if (exited) {
      exitedMillis = System.currentTimeMillis();
    }
    return exited;
  }

  /** SIGKILL: a crashed node or an OOM kill; nothing drained, nothing committed. */
  void kill() throws InterruptedException {
    killed = true;
    stopRequestedMillis = System.currentTimeMillis();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    exitedMillis = System.currentTimeMillis();
  }

  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }
}
