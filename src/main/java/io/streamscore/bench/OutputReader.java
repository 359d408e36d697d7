package io.streamscore.bench;

import io.streamscore.prediction.Prediction;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one run's prediction topic from the beginning, read_committed, on its own thread, and
 * keeps what the benchmark reports: how many predictions, how many inputs were predicted twice,
 * the first and last append times (the topic uses LogAppendTime, so these are the broker's clock),
 * and, for records published after {@link #startLatencyPhase}, end-to-end latency = append time −
 * the input's producer timestamp.
 */
final class OutputReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final Map<String, BitSet> seen = new HashMap<>();
  private final Object lock = new Object();
  private long predictions;
  private long duplicates;
  private long firstAppend = Long.MAX_VALUE;
  private long lastAppend;
  private long latencyFrom = Long.MAX_VALUE;
  private long latencyCount;
  private long[] latencySamples = new long[1 << 16];
  private volatile Exception failure;

  OutputReader(Properties clientConfig, String topic) {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "bench-output-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          accept(record.timestamp(), Prediction.getDecoder().decode(record.value()));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (running.get()) {
        failure = e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void accept(long appendTime, Prediction p) {
    synchronized (lock) {
      predictions++;
      firstAppend = Math.min(firstAppend, appendTime);
      lastAppend = Math.max(lastAppend, appendTime);
      BitSet offsets = seen.computeIfAbsent(p.getTopic() + "-" + p.getPartition(), k -> new BitSet());
      if (offsets.get((int) p.getOffset())) {
        duplicates++;
      } else {
        offsets.set((int) p.getOffset());
      }
      long eventTime = p.getEventTimestamp().toEpochMilli();
      if (eventTime >= latencyFrom) {
        if (latencyCount * 2 == latencySamples.length) {
          latencySamples = Arrays.copyOf(latencySamples, latencySamples.length * 2);
        }
        latencySamples[(int) (latencyCount * 2)] = eventTime;
        latencySamples[(int) (latencyCount * 2 + 1)] = Math.max(0, appendTime - eventTime);
        latencyCount++;
      }
    }
  }

  /** From now on, predictions of inputs produced at or after {@code fromMillis} count as latency samples. */
  void startLatencyPhase(long fromMillis) {
    synchronized (lock) {
      latencyFrom = fromMillis;
    }
  }

  Snapshot snapshot() {
    if (failure != null) {
      throw new IllegalStateException("reading predictions failed: " + failure, failure);
    }
    synchronized (lock) {
      long distinct = seen.values().stream().mapToLong(BitSet::cardinality).sum();
      return new Snapshot(predictions, distinct, duplicates, firstAppend, lastAppend, latencyCount);
    }
  }

  /** Writes every latency sample as {@code producer_time_ms,latency_ms} lines, in producer-time order (for plots and diagnosis). */
  void writeLatencySamples(java.nio.file.Path file) throws IOException {
    StringBuilder csv = new StringBuilder("producer_time_ms,latency_ms\n");
    long[][] pairs = sortedPairs();
    for (long[] pair : pairs) {
      csv.append(pair[0]).append(',').append(pair[1]).append('\n');
    }
    java.nio.file.Files.writeString(file, csv);
  }

  private long[][] sortedPairs() {
    long[][] pairs;
    synchronized (lock) {
      pairs = new long[(int) latencyCount][];
      for (int i = 0; i < latencyCount; i++) {
        pairs[i] = new long[] {latencySamples[2 * i], latencySamples[2 * i + 1]};
      }
    }
    Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
    return pairs;
  }

  /** Latency percentiles of every latency sample. */
  Latency latency() {
    Histogram all = new Histogram(3_600_000L, 3);
    for (long[] pair : sortedPairs()) {
      all.recordValue(pair[1]);
    }
    return new Latency(all.getTotalCount(), percentile(all, 50), percentile(all, 99), percentile(all, 99.9));
  }

  private static double percentile(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
  }

  record Snapshot(long predictions, long distinctInputs, long duplicates, long firstAppendMillis, long lastAppendMillis,
      long latencySamples) {}

  /** Milliseconds. */
  record Latency(long samples, double p50, double p99, double p999) {}

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }

}
