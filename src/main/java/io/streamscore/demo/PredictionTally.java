package io.streamscore.demo;

import io.streamscore.prediction.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads StreamScore's output and dead-letter topics from the offsets they had when it was created
 * (read_committed), and counts what arrived per source: predictions, dead letters with their
 * reasons, end-to-end latency from the input's timestamp to the prediction's append time, and one
 * sample prediction per source. Runs on its own thread; the getters may be called from any thread.
 */
public final class PredictionTally implements AutoCloseable {
  /** Dead-letter header holding the input topic (Kafka Streams' dead-letter queue, KIP-1034). */
  public static final String DLQ_TOPIC_HEADER = "__streams.errors.topic";
  public static final String DLQ_MESSAGE_HEADER = "__streams.errors.message";
  public static final String DLQ_EXCEPTION_HEADER = "__streams.errors.exception";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String outputTopic;
  private final Map<String, String> sourceByTopic;
  private final Map<String, AtomicLong> predictions = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> reasons = new ConcurrentHashMap<>();
  private final Map<String, Prediction> samples = new ConcurrentHashMap<>();
  private final Map<Long, AtomicLong> byModelVersion = new ConcurrentHashMap<>();
  private final io.streamscore.output.PredictionDecoder decoder;
  private final Map<String, Long> duplicates = new ConcurrentHashMap<>();
  private final java.util.Set<String> seenInputs = ConcurrentHashMap.newKeySet();
  private final Histogram latencyMillis = new Histogram(3_600_000L, 3);
  private final Histogram modelCallMicros = new Histogram(60_000_000L, 3);
  /** Latency of the records published from {@link #pacedFrom} on: the paced phase after the backlog. */
  private final Histogram pacedLatencyMillis = new Histogram(3_600_000L, 3);
  private volatile long pacedFrom = Long.MAX_VALUE;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong lastAppendTime = new AtomicLong();
  private volatile Prediction firstScored;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /** @param decoder reads the predictions in the output.format they were written in */
  public PredictionTally(Properties clientConfig, String outputTopic, String deadLetterTopic, Map<String, String> sourceByTopic,
      io.streamscore.output.PredictionDecoder decoder) {
    this.decoder = decoder;
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.outputTopic = outputTopic;
    this.sourceByTopic = Map.copyOf(sourceByTopic);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(outputTopic, deadLetterTopic)) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    // Start where the topics are now, so records from earlier runs are not counted.
    consumer.endOffsets(partitions).forEach(consumer::seek);
    this.thread = new Thread(this::run, "prediction-tally");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(outputTopic)) {
            count(decoder.decode(record.value()), record.timestamp());
          } else {
            countDeadLetter(record);
          }
          total.incrementAndGet();
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // close() woke the consumer up.
    } catch (Exception e) {
      throw new IllegalStateException("reading predictions failed", e);
    } finally {
      consumer.close();
    }
  }

  private void count(Prediction prediction, long appendTime) {
    predictions.computeIfAbsent(prediction.getSource(), k -> new AtomicLong()).incrementAndGet();
    byModelVersion.computeIfAbsent(prediction.getModelVersion(), k -> new AtomicLong()).incrementAndGet();
    String input = prediction.getTopic() + "/" + prediction.getPartition() + "/" + prediction.getOffset();
    if (!seenInputs.add(input)) {
      duplicates.merge(prediction.getSource(), 1L, Long::sum);
    }
    samples.putIfAbsent(prediction.getSource(), prediction);
    Prediction first = firstScored;
    if (first == null || prediction.getScoredAt().isBefore(first.getScoredAt())) {
      firstScored = prediction;
    }
    long latency = Math.max(0, appendTime - prediction.getEventTimestamp().toEpochMilli());
    synchronized (latencyMillis) {
      if (prediction.getEventTimestamp().toEpochMilli() >= pacedFrom) {
        pacedLatencyMillis.recordValue(Math.min(latency, pacedLatencyMillis.getHighestTrackableValue()));
      }
      latencyMillis.recordValue(Math.min(latency, latencyMillis.getHighestTrackableValue()));
      modelCallMicros.recordValue(Math.max(0, Math.min(prediction.getScoringMicros(), modelCallMicros.getHighestTrackableValue())));
    }
    lastAppendTime.accumulateAndGet(appendTime, Math::max);
  }

  private void countDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    String topic = header(record.headers().lastHeader(DLQ_TOPIC_HEADER));
    String source = sourceByTopic.getOrDefault(topic, "(unknown topic " + topic + ")");
    deadLetters.computeIfAbsent(source, k -> new AtomicLong()).incrementAndGet();
    String message = header(record.headers().lastHeader(DLQ_MESSAGE_HEADER));
    // Group by the reason's stable part: the detail in parentheses differs from record to record.
    int detail = message.indexOf(" (");
    String reason = detail > 0 ? message.substring(0, detail) : message;
    reasons.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    lastAppendTime.accumulateAndGet(record.timestamp(), Math::max);
  }

  private static String header(Header header) {
    return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  public long total() {
    return total.get();
  }

  public long predictions(String source) {
    AtomicLong n = predictions.get(source);
    return n == null ? 0 : n.get();
  }

  public long deadLetters(String source) {
    AtomicLong n = deadLetters.get(source);
    return n == null ? 0 : n.get();
  }

  public long totalPredictions() {
    return sum(predictions.values());
  }

  public long totalDeadLetters() {
    return sum(deadLetters.values());
  }

  public long duplicates() {
    return duplicates.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> reasons() {
    Map<String, Long> copy = new TreeMap<>();
    reasons.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Predictions by the model version that made them: more than one when a version was swapped in during the run. */
  public Map<Long, Long> byModelVersion() {
    Map<Long, Long> copy = new TreeMap<>();
    byModelVersion.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public Map<String, Prediction> samples() {
    return new HashMap<>(samples);
  }

  public Prediction firstScored() {
    return firstScored;
  }

  public long lastAppendTime() {
    return lastAppendTime.get();
  }

  /** Latency percentile in milliseconds, e.g. 99.0. */
  /**
   * Records whose input timestamp is {@code epochMillis} or later are also counted apart: the paced
   * phase, whose latency is the service's own, with no backlog to wait in.
   */
  public void pacedFrom(long epochMillis) {
    pacedFrom = epochMillis;
  }

  /** End-to-end latency percentile (ms) of the predictions counted since {@link #pacedFrom}. */
  public long pacedLatencyPercentile(double percentile) {
    synchronized (latencyMillis) {
      return pacedLatencyMillis.getValueAtPercentile(percentile);
    }
  }

  /** Predictions counted since {@link #pacedFrom}. */
  public long pacedPredictions() {
    synchronized (latencyMillis) {
      return pacedLatencyMillis.getTotalCount();
    }
  }

  public long latencyPercentile(double percentile) {
    synchronized (latencyMillis) {
      return latencyMillis.getValueAtPercentile(percentile);
    }
  }

  /** Percentile of the model call time that scored each prediction, in microseconds. */
  public long modelCallPercentile(double percentile) {
    synchronized (latencyMillis) {
      return modelCallMicros.getValueAtPercentile(percentile);
    }
  }

  private static long sum(Collection<AtomicLong> values) {
    return values.stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
