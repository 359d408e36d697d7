package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.GroupProtocol;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.SchemaFiles;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * group.protocol=auto against a real broker: it joins with the streams protocol on a broker that
 * offers it (the embedded one, like any 4.2+ cluster), and stays classic while a classic group with
 * members runs under the same application id (a group changes protocol only once it is empty).
 */
class GroupProtocolIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  private static StreamScoreConfig config(String run) {
    return ConfigLoader.load(Optional.empty(), Map.of(), RunSettings.isolated(KAFKA.bootstrapServers(), "protocol", run));
  }

  @Test
  void shouldJoinWithTheStreamsProtocolWhenTheBrokerOffersIt() throws Exception {
    StreamScoreConfig config = config(RunSettings.newRun());

    try (StreamScoreService service = StreamScoreService.start(config)) {
      assertEquals(GroupProtocol.STREAMS, service.groupProtocol().protocol(), service.groupProtocol().logLine());
      assertTrue(service.awaitRunning(Duration.ofMinutes(2)), "RUNNING under the streams protocol");
      try (Admin admin = Admin.create(config.clientProperties(KAFKA.bootstrapServers()))) {
        GroupListing group = admin.listGroups().all().get().stream().filter(g -> g.groupId().equals(config.applicationId()))
            .findFirst().orElseThrow();
        assertEquals(Optional.of(GroupType.STREAMS), group.type(), "the broker lists the group as a streams group");

        // KEDA's Kafka scaler reads a group's lag through OffsetFetch, as listConsumerGroupOffsets
        // does: a streams group's committed offsets must be readable that way.
        String topic = config.sources().get(0).topics().get(0);
        SyntheticRecords.KeyedBytes record = SyntheticRecords.forSchema(SchemaFiles.read("schema", config.sources().get(0).schema()), 1, 0.1)
            .orElseThrow().next();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
          producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (committed.keySet().stream().noneMatch(tp -> tp.topic().equals(topic)) && System.nanoTime() < deadline) {
          committed = admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata().get();
        }
        assertTrue(committed.keySet().stream().anyMatch(tp -> tp.topic().equals(topic)),
            "the input's committed offset, read as a consumer group's: " + committed);
      }
    }
  }

  @Test
  void shouldStayClassicWhileAClassicGroupHasMembersAndMoveOnceItIsEmpty() throws Exception {
    String run = RunSettings.newRun();
    StreamScoreConfig config = config(run);
    String topic = "terminal-" + run;
    try (Admin admin = Admin.create(config.clientProperties(KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      try (KafkaConsumer<byte[], byte[]> classicMember = classicMember(config.applicationId())) {
        classicMember.subscribe(List.of(topic));
        while (classicMember.assignment().isEmpty()) {
          classicMember.poll(Duration.ofMillis(200)); // joins the group; returns once the assignment arrived
        }

        GroupProtocolChoice whileLive = GroupProtocolChoice.ask(config, admin);

        assertEquals(GroupProtocol.CLASSIC, whileLive.protocol(), whileLive.logLine());
        assertTrue(whileLive.reason().contains("classic group '" + config.applicationId() + "' has members"), whileLive.reason());
      }

      GroupProtocolChoice onceEmpty = GroupProtocolChoice.ask(config, admin);

      assertEquals(GroupProtocol.STREAMS, onceEmpty.protocol(), onceEmpty.logLine());
    }
  }

  private static KafkaConsumer<byte[], byte[]> classicMember(String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
