package io.streamscore.scale;

import io.streamscore.config.GroupProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberAssignment;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.admin.StreamsGroupSubtopologyDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which instance owns which input partition, as the group coordinator describes the group (a
 * classic group's members' partitions, or a streams group's members' active tasks), sampled
 * through the run, so a phase can tell the partitions that kept their owner from those that moved.
 * An owner is a Kafka Streams process: its {@code processId}, or for a classic member the client id
 * before {@code -StreamThread}. Thread-safe.
 */
final class GroupOwnership {
  private final Admin admin;
  private final String groupId;
  private final GroupProtocol protocol;
  /** Snapshots by time: partition to owner; a partition in no member's assignment is absent. */
  private final ConcurrentSkipListMap<Long, Map<TopicPartition, String>> snapshots = new ConcurrentSkipListMap<>();

  GroupOwnership(Admin admin, String groupId, GroupProtocol protocol) {
    this.admin = admin;
    this.groupId = groupId;
    this.protocol = protocol;
  }

  /** Takes one snapshot; a failed description is skipped (the next one is a quarter second away). */
  void sample() throws InterruptedException {
    try {
      Map<TopicPartition, String> owners = protocol == GroupProtocol.STREAMS ? streamsOwners() : classicOwners();
      record(System.currentTimeMillis(), owners);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // The coordinator moving or busy: no snapshot this time.
    }
  }

  private Map<TopicPartition, String> classicOwners() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException, InterruptedException {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get(5, TimeUnit.SECONDS);
    Map<TopicPartition, String> owners = new HashMap<>();
    for (MemberDescription member : group.members()) {
      String client = member.clientId();
      int thread = client.indexOf("-StreamThread");
      String owner = thread > 0 ? client.substring(0, thread) : client;
      member.assignment().topicPartitions().forEach(tp -> owners.put(tp, owner));
    }
    return owners;
  }

  private Map<TopicPartition, String> streamsOwners() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException, InterruptedException {
    StreamsGroupDescription group = admin.describeStreamsGroups(List.of(groupId)).describedGroups().get(groupId).get(5, TimeUnit.SECONDS);
    Map<String, List<String>> topicsBySubtopology = new HashMap<>();
    for (StreamsGroupSubtopologyDescription s : group.subtopologies()) {
      topicsBySubtopology.put(s.subtopologyId(), s.sourceTopics());
    }
    Map<TopicPartition, String> owners = new HashMap<>();
    for (StreamsGroupMemberDescription member : group.members()) {
      for (StreamsGroupMemberAssignment.TaskIds task : member.assignment().activeTasks()) {
        for (String topic : topicsBySubtopology.getOrDefault(task.subtopologyId(), List.of())) {
          task.partitions().forEach(p -> owners.put(new TopicPartition(topic, p), member.processId()));
        }
      }
    }
    return owners;
  }

  /** Adds a snapshot taken at {@code at}: what {@link #sample} does with the group's description. */
  void record(long at, Map<TopicPartition, String> owners) {
    snapshots.put(at, Map.copyOf(owners));
  }

  /**
   * The owner of {@code partition} at {@code at} by the last snapshot taken then or before; empty
   * when none names one. An owner is a process id (streams) or {@code <application.id>-<process id>}
   * (classic): both end with the process id.
   */
  Optional<String> ownerAt(TopicPartition partition, long at) {
    Map.Entry<Long, Map<TopicPartition, String>> snapshot = snapshots.floorEntry(at);
    return snapshot == null ? Optional.empty() : Optional.ofNullable(snapshot.getValue().get(partition));
  }

  /** The latest snapshot: partition to owner; empty before the first. */
  Map<TopicPartition, String> latest() {
    Map.Entry<Long, Map<TopicPartition, String>> last = snapshots.lastEntry();
    return last == null ? Map.of() : last.getValue();
  }

  /**
   * Whether {@code partition} kept one owner through [{@code from}, {@code to}): the owner of the
   * last snapshot before {@code from} is the owner of every snapshot in the window that names one,
   * and of the last. Empty when no snapshot before {@code from} names an owner.
   */
  Optional<Boolean> keptOwner(TopicPartition partition, long from, long to) {
    Map.Entry<Long, Map<TopicPartition, String>> before = snapshots.lowerEntry(from);
    if (before == null || before.getValue().get(partition) == null) {
      return Optional.empty();
    }
    String owner = before.getValue().get(partition);
    Map<Long, Map<TopicPartition, String>> window = snapshots.subMap(from, to);
    boolean sawOwner = false;
    for (Map<TopicPartition, String> snapshot : window.values()) {
      String now = snapshot.get(partition);
      if (now != null && !now.equals(owner)) {
        return Optional.of(false);
      }
      sawOwner |= now != null;
    }
    return Optional.of(sawOwner || window.isEmpty());
  }
}
