package io.streamscore.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Settings that give one test run its own application id and topics on a shared broker, over the
 * bundled demo configuration's three sources.
 */
public final class RunSettings {
  private RunSettings() {}

  /** A fresh run id, short enough for topic names. */
  public static String newRun() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Application id {@code prefix-run}, topics {@code scores-run}, {@code dlq-run}, {@code <source>-run}. */
  public static Map<String, String> isolated(String bootstrapServers, String prefix, String run) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("application.id", prefix + "-" + run);
    settings.put("output.topic", "scores-" + run);
    settings.put("dead.letter.topic", "dlq-" + run);
    settings.put("source.terminal.topics", "terminal-" + run);
    settings.put("source.web.topics", "web-" + run);
    settings.put("source.mobile.topics", "mobile-" + run);
    return settings;
  }

  /**
   * What a group of instances in their own JVMs needs on a small shared machine, added to
   * {@code settings}: 6 partitions per topic and 2 stream threads each, so tasks move when an
   * instance comes or goes; no operations port (instances would collide); and a 6 s session timeout,
   * so that a killed instance's tasks move within seconds rather than the default 45 s.
   */
  public static Map<String, String> forInstanceGroup(Map<String, String> settings) {
    settings.put("topics.partitions", "6");
    settings.put("num.stream.threads", "2");
    settings.put("http.port", "-1");
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1500");
    return settings;
  }
}
