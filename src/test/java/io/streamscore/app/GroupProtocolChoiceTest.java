package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.app.GroupProtocolChoice.BrokerView;
import io.streamscore.config.GroupProtocol;
import java.util.Optional;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The group protocol decision as a table of scenarios: configuration and broker view in, protocol and reason out. */
class GroupProtocolChoiceTest {
  private static final String APP = "scores";
  private static final Optional<String> NO_PATTERN = Optional.empty();
  private static final Optional<String> PATTERN = Optional.of("source.web.topic.pattern");

  private static BrokerView broker(int streamsLevel) {
    return new BrokerView(Optional.of((short) streamsLevel), Optional.empty(), Optional.empty());
  }

  private static BrokerView brokerWithGroup(GroupType type, GroupState state) {
    return new BrokerView(Optional.of((short) 1), Optional.empty(),
        Optional.of(new GroupListing(APP, Optional.of(type), type == GroupType.CLASSIC ? "consumer" : "streams", Optional.of(state))));
  }

  private static final BrokerView UNREACHABLE = new BrokerView(Optional.empty(), Optional.of("TimeoutException"), Optional.empty());

  @Test
  void autoShouldChooseStreamsWhenTheBrokerOffersItAndNoClassicGroupIsLive() {
    GroupProtocolChoice choice = GroupProtocolChoice.decide(GroupProtocol.AUTO, NO_PATTERN, APP, broker(1));

    assertEquals(GroupProtocol.STREAMS, choice.protocol());
    assertTrue(choice.logLine().contains("streams.version=1"), choice.logLine());
  }

  @Test
  void autoShouldChooseStreamsOverAnEmptyClassicGroup() {
    assertEquals(GroupProtocol.STREAMS,
        GroupProtocolChoice.decide(GroupProtocol.AUTO, NO_PATTERN, APP, brokerWithGroup(GroupType.CLASSIC, GroupState.EMPTY)).protocol());
  }

  @Test
  void autoShouldChooseClassicAndSayWhyInEachCaseTheStreamsProtocolCannotServe() {
    GroupProtocolChoice pattern = GroupProtocolChoice.decide(GroupProtocol.AUTO, PATTERN, APP, broker(1));
    GroupProtocolChoice old = GroupProtocolChoice.decide(GroupProtocol.AUTO, NO_PATTERN, APP, broker(0));
    GroupProtocolChoice live = GroupProtocolChoice.decide(GroupProtocol.AUTO, NO_PATTERN, APP,
        brokerWithGroup(GroupType.CLASSIC, GroupState.STABLE));
    GroupProtocolChoice unknown = GroupProtocolChoice.decide(GroupProtocol.AUTO, NO_PATTERN, APP, UNREACHABLE);

    assertEquals(GroupProtocol.CLASSIC, pattern.protocol());
    assertTrue(pattern.reason().contains("source.web.topic.pattern"), pattern.reason());
    assertEquals(GroupProtocol.CLASSIC, old.protocol());
    assertTrue(old.reason().contains("streams.version is 0"), old.reason());
    assertEquals(GroupProtocol.CLASSIC, live.protocol());
    assertTrue(live.reason().contains("classic group 'scores' has members (state Stable)"), live.reason());
    assertEquals(GroupProtocol.CLASSIC, unknown.protocol());
    assertTrue(unknown.reason().contains("TimeoutException"), unknown.reason());
  }

  @Test
  void anExplicitChoiceShouldBeTakenAsItIs() {
    assertEquals(GroupProtocol.CLASSIC, GroupProtocolChoice.decide(GroupProtocol.CLASSIC, NO_PATTERN, APP, broker(1)).protocol());
    assertEquals(GroupProtocol.STREAMS, GroupProtocolChoice.decide(GroupProtocol.STREAMS, NO_PATTERN, APP, broker(1)).protocol());
    assertEquals(GroupProtocol.STREAMS, GroupProtocolChoice.decide(GroupProtocol.STREAMS, NO_PATTERN, APP, UNREACHABLE).protocol());
  }

  @Test
  void explicitStreamsShouldStopStartUpWhenTheBrokerDoesNotOfferIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> GroupProtocolChoice.decide(GroupProtocol.STREAMS, NO_PATTERN, APP, broker(0)));

    assertTrue(e.getMessage().contains("group.protocol") && e.getMessage().contains("kafka-features.sh"), e.getMessage());
  }

  @Test
  void anExplicitChoiceShouldStopStartUpWhileAGroupOfTheOtherProtocolHasMembers() {
    ConfigException toStreams = assertThrows(ConfigException.class, () -> GroupProtocolChoice.decide(GroupProtocol.STREAMS, NO_PATTERN,
        APP, brokerWithGroup(GroupType.CLASSIC, GroupState.STABLE)));
    ConfigException toClassic = assertThrows(ConfigException.class, () -> GroupProtocolChoice.decide(GroupProtocol.CLASSIC, NO_PATTERN,
        APP, brokerWithGroup(GroupType.STREAMS, GroupState.STABLE)));

    assertTrue(toStreams.getMessage().contains("stop every instance first"), toStreams.getMessage());
    assertTrue(toClassic.getMessage().contains("stop every instance first"), toClassic.getMessage());
  }
}
