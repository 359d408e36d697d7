package io.streamscore.app;

import io.streamscore.config.StreamScoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics StreamScore reads and writes when they do not exist yet. */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  private TopicAdmin() {}

  /**
   * Waits until every partition of the new topics has a leader, so the first records sent to them
   * are not bounced with NOT_LEADER_OR_FOLLOWER while the broker's metadata catches up.
   */
  public static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        var descriptions = admin.describeTopics(names).allTopicNames().get().values();
        boolean leaders = descriptions.stream()
            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (leaders) {
          // The controller's metadata names a leader before the leader has created its log; a
          // producer that sends in between gets NOT_LEADER_OR_FOLLOWER, which can leave an
          // idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER. Wait for the logs too.
          java.util.Set<org.apache.kafka.common.TopicPartition> wanted = new java.util.HashSet<>();
          java.util.Set<Integer> brokers = new java.util.HashSet<>();
          descriptions.forEach(d -> d.partitions().forEach(p -> {
            wanted.add(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()));
            brokers.add(p.leader().id());
          }));
          java.util.Set<org.apache.kafka.common.TopicPartition> present = new java.util.HashSet<>();
          admin.describeLogDirs(brokers).allDescriptions().get().values()
              .forEach(dirs -> dirs.values().forEach(dir -> present.addAll(dir.replicaInfos().keySet())));
          if (present.containsAll(wanted)) {
            return;
          }
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + names + " have partitions without a leader 30 s after creation");
      }
      Thread.sleep(50); // metadata propagation takes milliseconds; this is a retry back-off, not a synchronisation
    }
  }

  /**
   * Creates missing named input topics, the output topic and the dead-letter topic. The output
   * topic uses LogAppendTime, so a prediction's record timestamp is when it was written (its event
   * time is inside the prediction) and end-to-end latency can be read off the topic.
   */
  static void createMissing(StreamScoreConfig config, String bootstrapServers) {
    Admin admin = Admin.create(config.clientProperties(bootstrapServers));
    try {
      Set<String> existing = admin.listTopics().names().get();
      Optional<Short> replication = config.topicReplicationFactor() < 0 ? Optional.empty() : Optional.of(config.topicReplicationFactor());
      Optional<Integer> partitions = Optional.of(config.topicPartitions());
      List<NewTopic> topics = new ArrayList<>();
      config.sources().forEach(s -> s.topics().stream().filter(t -> !existing.contains(t))
          .forEach(t -> topics.add(new NewTopic(t, partitions, replication))));
      if (!existing.contains(config.outputTopic())) {
        topics.add(new NewTopic(config.outputTopic(), partitions, replication)
            .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
      }
      if (config.shadowEnabled() && !existing.contains(config.shadowTopic())) {
        topics.add(new NewTopic(config.shadowTopic(), partitions, replication)
            .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
      }
      if (!existing.contains(config.deadLetterTopic())) {
        topics.add(new NewTopic(config.deadLetterTopic(), partitions, replication));
      }
      if (topics.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(topics).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
      log.info("Created topics {}", topics.stream().map(NewTopic::name).toList());
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getCause().getMessage()
          + " (set topics.create=false to manage topics yourself)", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } finally {
      admin.close(java.time.Duration.ZERO); // at once: a stop must not wait for a call it gave up on
    }
  }
}
