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
}
