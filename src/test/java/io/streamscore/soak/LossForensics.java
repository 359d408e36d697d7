package io.streamscore.soak;

import io.streamscore.prediction.Prediction;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the broker still holds about inputs the checker found without a prediction, read before
 * it stops: whether the input is in its partition, whether a prediction for it was written in a
 * transaction that was then aborted (read_uncommitted shows it, read_committed did not), and the
 * group's committed offset for the partition now.
 *
 * <p>Tells the two ways an input can be lost under exactly_once_v2 apart: scored, then aborted
 * while the partition's offset moved past it anyway (the output and the offset went into
 * different transactions); or never scored, because an offset was committed past it before it
 * was read. Only for a failed soak's report; nothing asserts on it.
 */
final class LossForensics {
  private static final int SHOWN = 20;

  private LossForensics() {}

  static List<String> explain(String bootstrapServers, String applicationId, String outputTopic, Collection<InputId> lost) {
    List<InputId> shown = lost.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).limit(SHOWN).toList();
    List<String> lines = new ArrayList<>();
    if (shown.isEmpty()) {
      return lines;
    }
    try {
      Map<InputId, List<String>> aborted = abortedPredictions(bootstrapServers, outputTopic, Set.copyOf(shown));
      Map<TopicPartition, OffsetAndMetadata> committed = committed(bootstrapServers, applicationId);
      for (InputId id : shown) {
        TopicPartition partition = new TopicPartition(id.topic(), id.partition());
        OffsetAndMetadata offset = committed.get(partition);
        String input = inputAt(bootstrapServers, partition, id.offset());
        List<String> written = aborted.getOrDefault(id, List.of());
        lines.add(id + ": " + input + "; " + (written.isEmpty()
            ? "no prediction was ever written for it, committed or aborted (never scored: an offset was committed past it unread)"
            : written.size() + " prediction(s) written in aborted transactions (" + String.join("; ", written)
                + "): scored, then aborted while the offset moved past it")
            + "; the group's committed offset for " + partition + " is now " + (offset == null ? "none" : offset.offset()));
      }
    } catch (Exception e) {
      lines.add("the broker could not be read for the lost inputs: " + e);
    }
    if (lost.size() > SHOWN) {
      lines.add("... and " + (lost.size() - SHOWN) + " more");
    }
    return lines;
  }

  private static Map<InputId, List<String>> abortedPredictions(String bootstrapServers, String outputTopic, Set<InputId> wanted) {
    Map<InputId, List<String>> found = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "read_uncommitted")) {
      List<TopicPartition> partitions = consumer.partitionsFor(outputTopic).stream()
          .map(p -> new TopicPartition(outputTopic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
          InputId id = new InputId(p.getTopic(), p.getPartition(), p.getOffset());
          if (wanted.contains(id)) {
            found.computeIfAbsent(id, k -> new ArrayList<>()).add("at " + record.topic() + "-" + record.partition() + "@"
                + record.offset() + ", scored at " + p.getScoredAt() + " by version " + p.getModelVersion());
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("reading " + outputTopic + " read_uncommitted", e);
    }
    return found;
  }

  private static String inputAt(String bootstrapServers, TopicPartition partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "read_uncommitted")) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, offset);
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(5))) {
        if (record.offset() == offset) {
          return "the input is in its partition (timestamp " + Instant.ofEpochMilli(record.timestamp()) + ")";
        }
        return "the partition has no record at " + offset + " (the next is at " + record.offset() + ")";
      }
      return "the input could not be read back";
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(String bootstrapServers, String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The lost inputs: good ones without a prediction. */
  static List<InputId> lost(Set<InputId> good, Map<InputId, ?> predictions) {
    return good.stream().filter(id -> !predictions.containsKey(id)).toList();
  }
}
