package io.streamscore.app;

import io.streamscore.config.GroupProtocol;
import io.streamscore.config.StreamScoreConfig;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which group protocol this instance joins with, and why: {@link #decide} is a pure function of the
 * configuration and of what the broker said ({@link BrokerView}); {@link #ask} asks the broker.
 *
 * <p>The streams protocol is taken whenever it can serve, because under the classic protocol every
 * member stops committing for the whole of each rebalance, so each pod that comes or goes stalls
 * every pod's output (docs/operating.md, Scaling out and in). It cannot serve when the broker does
 * not offer it, when a source reads a topic pattern (Kafka 4.4 refuses pattern subscriptions under
 * it), or when a classic group with members runs under the same application id: a group changes
 * protocol only offline, once it is empty.
 *
 * @param protocol {@link GroupProtocol#CLASSIC} or {@link GroupProtocol#STREAMS}, never AUTO
 * @param reason one clause a person reads in the start-up log
 */
public record GroupProtocolChoice(GroupProtocol protocol, String reason) {

  /** The broker's feature level that enables streams groups (Kafka's {@code StreamsVersion.SV_1}). */
  static final short STREAMS_GROUPS_FEATURE_LEVEL = 1;
  static final String STREAMS_FEATURE = "streams.version";

  /**
   * What the broker said about the group protocols.
   *
   * @param streamsFeatureLevel the finalized {@code streams.version}; empty when the broker did not answer
   * @param unanswered why the broker could not be asked, when it could not
   * @param group the group listed under the application id, if there is one
   */
  public record BrokerView(Optional<Short> streamsFeatureLevel, Optional<String> unanswered, Optional<GroupListing> group) {
    boolean offersStreams() {
      return streamsFeatureLevel.orElse((short) 0) >= STREAMS_GROUPS_FEATURE_LEVEL;
    }

    /** A group of {@code type} that has members (not EMPTY, DEAD or unknown). */
    Optional<GroupListing> liveGroupOf(GroupType type) {
      return group.filter(g -> g.type().orElse(GroupType.UNKNOWN) == type)
          .filter(g -> g.groupState().map(s -> s != GroupState.EMPTY && s != GroupState.DEAD && s != GroupState.UNKNOWN).orElse(false));
    }
  }

  /** The line logged at start-up. */
  public String logLine() {
    return "Group protocol: " + protocol.configValue() + " (" + reason + ")";
  }

  /**
   * Resolves the configured protocol against the broker's view.
   *
   * @throws ConfigException when an explicit choice cannot work on this broker or group, naming
   *     {@value StreamScoreConfig#GROUP_PROTOCOL_CONFIG} and what to change
   */
  public static GroupProtocolChoice decide(GroupProtocol requested, Optional<String> topicPatternKey, String applicationId, BrokerView broker) {
    String key = StreamScoreConfig.GROUP_PROTOCOL_CONFIG;
    switch (requested) {
      case CLASSIC -> {
        broker.liveGroupOf(GroupType.STREAMS).ifPresent(g -> {
          throw new ConfigException(key, "classic", "a streams group '" + applicationId + "' has members (" + state(g)
              + "); a group changes protocol only once it is empty: stop every instance first, or set " + key + "=streams or auto");
        });
        return new GroupProtocolChoice(GroupProtocol.CLASSIC, key + "=classic");
      }
      case STREAMS -> {
        if (broker.unanswered().isEmpty() && !broker.offersStreams()) {
          throw new ConfigException(key, "streams", "the broker does not offer the streams protocol (feature " + STREAMS_FEATURE + " is "
              + broker.streamsFeatureLevel().orElse((short) 0) + ", it needs " + STREAMS_GROUPS_FEATURE_LEVEL + "; a 4.2+ cluster: "
              + "kafka-features.sh upgrade --feature " + STREAMS_FEATURE + "=1); set " + key + "=classic or auto");
        }
        broker.liveGroupOf(GroupType.CLASSIC).ifPresent(g -> {
          throw new ConfigException(key, "streams", "a classic group '" + applicationId + "' has members (" + state(g)
              + "); a group changes protocol only once it is empty: stop every instance first (docs/operating.md, Moving a group"
              + " to the streams protocol), or set " + key + "=classic or auto");
        });
        return new GroupProtocolChoice(GroupProtocol.STREAMS, key + "=streams");
      }
      default -> {
        return auto(topicPatternKey, applicationId, broker);
      }
    }
  }

  private static GroupProtocolChoice auto(Optional<String> topicPatternKey, String applicationId, BrokerView broker) {
    String key = StreamScoreConfig.GROUP_PROTOCOL_CONFIG + "=auto";
    if (topicPatternKey.isPresent()) {
      return new GroupProtocolChoice(GroupProtocol.CLASSIC, key + ": " + topicPatternKey.get()
          + " is a topic pattern, which the streams protocol does not support");
    }
    if (broker.unanswered().isPresent()) {
      return new GroupProtocolChoice(GroupProtocol.CLASSIC, key + ": could not ask the broker which protocols it offers ("
          + broker.unanswered().get() + ")");
    }
    if (!broker.offersStreams()) {
      return new GroupProtocolChoice(GroupProtocol.CLASSIC, key + ": the broker does not offer the streams protocol (feature "
          + STREAMS_FEATURE + " is " + broker.streamsFeatureLevel().orElse((short) 0) + ")");
    }
    Optional<GroupListing> classic = broker.liveGroupOf(GroupType.CLASSIC);
    if (classic.isPresent()) {
      return new GroupProtocolChoice(GroupProtocol.CLASSIC, key + ": a classic group '" + applicationId + "' has members ("
          + state(classic.get()) + "), and a group changes protocol only once it is empty (docs/operating.md)");
    }
    return new GroupProtocolChoice(GroupProtocol.STREAMS, key + ": the broker offers it (" + STREAMS_FEATURE + "="
        + broker.streamsFeatureLevel().get() + ") and no classic group has members under '" + applicationId + "'");
  }

  private static String state(GroupListing group) {
    return "state " + group.groupState().map(GroupState::toString).orElse("unknown");
  }

  /** Asks the broker, then {@linkplain #decide decides}. */
  public static GroupProtocolChoice ask(StreamScoreConfig config, Admin admin) {
    return decide(config.groupProtocol(), config.topicPatternKey(), config.applicationId(), view(admin, config.applicationId()));
  }

  /** What the broker says: its finalized streams feature and the group listed under {@code groupId}. */
  static BrokerView view(Admin admin, String groupId) {
    try {
      FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
          .finalizedFeatures().get(STREAMS_FEATURE);
      Collection<GroupListing> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS);
      Optional<GroupListing> group = groups.stream().filter(g -> g.groupId().equals(groupId)).findFirst();
      return new BrokerView(Optional.of(range == null ? (short) 0 : range.maxVersionLevel()), Optional.empty(), group);
    } catch (ExecutionException e) {
      return new BrokerView(Optional.empty(), Optional.of(String.valueOf(e.getCause())), Optional.empty());
    } catch (TimeoutException e) {
      return new BrokerView(Optional.empty(), Optional.of("no answer within 30 s"), Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the broker for its group protocols", e);
    }
  }
}
