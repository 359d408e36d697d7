package io.streamscore.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * When each phase of a start-up first happened, from process start to the first 1,000 records: to
 * find where the first second goes. Thread-safe; each phase is kept once, at its first mark.
 *
 * <p>Kafka Streams exposes no callback for most of its start-up, so {@link #watch} reads its
 * clients' own metrics every few milliseconds until each phase has shown: partitions assigned
 * ({@code assigned-partitions}), the producer's {@code initTransactions} ({@code
 * txn-init-time-ns-total}, with its duration), the first fetched records ({@code
 * records-consumed-total}), the first processed record and the 1,000th ({@code process-total}),
 * and the first commit ({@code commit-total}). A phase seen by polling is late by at most {@link
 * #POLL_MILLIS}.
 */
public final class StartupTimeline {
  public static final long POLL_MILLIS = 2;
  public static final int FIRST_RECORDS = 1_000;

  /** One phase: its name, the wall-clock time it was first seen, and an optional detail. */
  public record Phase(String name, long epochMillis, String detail) {}

  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final Consumer<Phase> listener;

  /** @param listener told of each phase once, on the thread that saw it */
  public StartupTimeline(Consumer<Phase> listener) {
    this.listener = listener;
    ProcessHandle.current().info().startInstant()
        .ifPresent(start -> record(new Phase("process started", start.toEpochMilli(), "")));
  }

  public void mark(String phase) {
    mark(phase, "");
  }

  public void mark(String phase, String detail) {
    record(new Phase(phase, System.currentTimeMillis(), detail));
  }

  private void record(Phase phase) {
    if (phases.putIfAbsent(phase.name(), phase) == null) {
      listener.accept(phase);
    }
  }

  /** The phases seen so far, in time order. */
  public List<Phase> phases() {
    List<Phase> sorted = new ArrayList<>(phases.values());
    sorted.sort(java.util.Comparator.comparingLong(Phase::epochMillis));
    return sorted;
  }

  /** Marks the start and end of changelog restoration. Set it before {@code KafkaStreams.start()}. */
  public StateRestoreListener restoreListener() {
    return new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        mark("changelog restore started", store);
      }

      @Override
      public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

      @Override
      public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        mark("changelog restore ended", store + ", " + totalRestored + " records");
      }
    };
  }

  /**
   * Follows {@code streams}' client metrics on a daemon thread until every phase has shown or two
   * minutes have passed.
   */
  public void watch(KafkaStreams streams) {
    Thread watcher = new Thread(() -> {
      long deadline = System.currentTimeMillis() + 120_000;
      try {
        while (System.currentTimeMillis() < deadline && !seen("records processed: " + FIRST_RECORDS)) {
          observe(streams.metrics());
          Thread.sleep(POLL_MILLIS); // The sampling interval of the metrics.
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "startup-timeline");
    watcher.setDaemon(true);
    watcher.start();
  }

  private boolean seen(String phase) {
    return phases.containsKey(phase);
  }

  private void observe(Map<MetricName, ? extends Metric> metrics) {
    double assigned = 0;
    double txnInitNanos = 0;
    double consumed = 0;
    double processed = 0;
    double commits = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      MetricName name = e.getKey();
      String group = name.group();
      String metric = name.name();
      boolean mainConsumer = name.tags().getOrDefault("client-id", "").endsWith("-consumer")
          && !name.tags().getOrDefault("client-id", "").endsWith("-restore-consumer");
      if (group.equals("consumer-coordinator-metrics") && metric.equals("assigned-partitions") && mainConsumer) {
        assigned += value(e.getValue());
      } else if (group.equals("producer-metrics") && metric.equals("txn-init-time-ns-total")) {
        txnInitNanos = Math.max(txnInitNanos, value(e.getValue()));
      } else if (group.equals("consumer-fetch-manager-metrics") && metric.equals("records-consumed-total")
          && !name.tags().containsKey("topic") && mainConsumer) {
        consumed += value(e.getValue());
      } else if (group.equals("stream-thread-metrics") && metric.equals("process-total")) {
        processed += value(e.getValue());
      } else if (group.equals("stream-thread-metrics") && metric.equals("commit-total")) {
        commits += value(e.getValue());
      }
    }
    if (assigned > 0) {
      mark("partitions assigned", (long) assigned + " partitions");
    }
    if (txnInitNanos > 0) {
      mark("producer initTransactions done", String.format(java.util.Locale.ROOT, "%.0f ms in initTransactions", txnInitNanos / 1e6));
    }
    if (consumed > 0) {
      mark("first records fetched");
    }
    if (processed > 0) {
      mark("first record processed");
    }
    if (commits > 0) {
      mark("first commit");
    }
    if (processed >= FIRST_RECORDS) {
      mark("records processed: " + FIRST_RECORDS);
    }
  }

  private static double value(Metric metric) {
    Object v = metric.metricValue();
    return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
  }
}
