package io.streamscore.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The rebalance protocol of the group the instances form ({@value StreamScoreConfig#GROUP_PROTOCOL_CONFIG}).
 * {@link #AUTO} is a request only: start-up resolves it to {@link #CLASSIC} or {@link #STREAMS}
 * before Kafka Streams is configured.
 */
public enum GroupProtocol {
  /** Choose at start-up from what the broker offers and what the group is. */
  AUTO,
  /** Kafka's consumer group protocol: every member stops committing while the group rebalances. */
  CLASSIC,
  /** KIP-1071's streams protocol: the broker assigns tasks; members reconcile one by one, without a barrier. */
  STREAMS;

  /** The value as written in configuration and passed to Kafka Streams' {@code group.protocol}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static String[] configValues() {
    return Arrays.stream(values()).map(GroupProtocol::configValue).toArray(String[]::new);
  }

  static GroupProtocol of(String configValue) {
    return valueOf(configValue.toUpperCase(Locale.ROOT));
  }
}
