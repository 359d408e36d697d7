package io.streamscore.soak;

import io.streamscore.prediction.Prediction;
import io.streamscore.soak.SoakChecker.Scored;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

/**
 * The soak's read_committed reader of predictions and dead letters, running through the whole
 * soak: what it reads is what a downstream consumer would see. It keeps every output per input, the
 * end-to-end latency of each prediction when it was read (now minus the input's timestamp, which
 * the producer set when it sent it), and the lag: inputs acknowledged by the broker minus inputs
 * with any output yet. Thread-safe.
 */
final class SoakReader implements AutoCloseable {
  /** One moment's reading: when, the latency of a prediction read then, or the lag then. */
  record Sample(long atMillis, long value) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String deadLetterTopic;
  private final LongSupplier acknowledged;
  private final Map<InputId, List<Scored>> predictions = new HashMap<>();
  private final Map<InputId, List<String>> deadLetters = new HashMap<>();
  private final Set<InputId> answered = ConcurrentHashMap.newKeySet();
  private final List<Sample> latencies = new ArrayList<>();
  private final List<Sample> lags = new ArrayList<>();
  private volatile long lastReadMillis = System.currentTimeMillis();
  private volatile boolean stopping;
  private volatile Exception failure;
  private final Thread thread;

  SoakReader(KafkaConsumer<byte[], byte[]> consumer, String deadLetterTopic, LongSupplier acknowledged) {
    this.consumer = consumer;
    this.deadLetterTopic = deadLetterTopic;
    this.acknowledged = acknowledged;
    this.thread = new Thread(this::read, "soak-reader");
    this.thread.setDaemon(true); // a failed test must not leave it reading in the test JVM
  }

  void start() {
    thread.start();
  }

  private void read() {
    try {
      while (!stopping) {
        var records = consumer.poll(Duration.ofMillis(200));
        long now = System.currentTimeMillis();
        synchronized (this) {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            lastReadMillis = now;
            if (record.topic().equals(deadLetterTopic)) {
              InputId id = new InputId(header(record, "__streams.errors.topic"), Integer.parseInt(header(record, "__streams.errors.partition")),
                  Long.parseLong(header(record, "__streams.errors.offset")));
              deadLetters.computeIfAbsent(id, k -> new ArrayList<>()).add(header(record, "__streams.errors.message"));
              answered.add(id);
            } else {
              Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
              InputId id = new InputId(p.getTopic(), p.getPartition(), p.getOffset());
              predictions.computeIfAbsent(id, k -> new ArrayList<>()).add(new Scored(p.getModelVersion(), p.getScoredAt().toEpochMilli()));
              answered.add(id);
              latencies.add(new Sample(now, now - p.getEventTimestamp().toEpochMilli()));
            }
          }
          lags.add(new Sample(now, lag()));
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Inputs acknowledged minus inputs with an output. */
  long lag() {
    return acknowledged.getAsLong() - answered.size();
  }

  boolean hasAnswered(InputId id) {
    return answered.contains(id);
  }

  long lastReadMillis() {
    return lastReadMillis;
  }

  synchronized Map<InputId, List<Scored>> predictions() {
    Map<InputId, List<Scored>> copy = new HashMap<>();
    predictions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  synchronized Map<InputId, List<String>> deadLetters() {
    Map<InputId, List<String>> copy = new HashMap<>();
    deadLetters.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  synchronized List<Sample> latencies() {
    return List.copyOf(latencies);
  }

  synchronized List<Sample> lags() {
    return List.copyOf(lags);
  }

  void failIfBroken() throws Exception {
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() throws Exception {
    stopping = true;
    thread.join();
    consumer.close();
    failIfBroken();
  }
}
