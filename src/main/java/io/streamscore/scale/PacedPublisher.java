package io.streamscore.scale;

import io.streamscore.config.SourceDefinition;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.SchemaFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the demo sources' synthetic payments at a fixed total rate, in turn over the sources,
 * until stopped, as {@code publish --continuous --rate} does; remembers every input the broker
 * acknowledged, so the report can tell which got no prediction. Each record's timestamp is taken
 * when it is sent: end-to-end latency starts there.
 */
final class PacedPublisher implements AutoCloseable {
  private final Properties clientConfig;
  private final List<String> topics;
  private final double perSecond;
  private final List<SyntheticRecords.Generator> generators = new ArrayList<>();
  private final Set<InputId> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private volatile boolean stopping;
  private Thread thread;

  PacedPublisher(Properties clientConfig, List<SourceDefinition> sources, List<String> topics, double perSecond, long seed) {
    this.clientConfig = clientConfig;
    this.topics = topics;
    this.perSecond = perSecond;
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition source = sources.get(i);
      generators.add(SyntheticRecords.forSchema(SchemaFiles.read("source." + source.name() + ".schema", source.schema()), seed + i, 0.1)
          .orElseThrow(() -> new IllegalArgumentException("the scale bench publishes the demo schemas only; source '" + source.name()
              + "' has another")));
    }
  }

  void start() {
    thread = new Thread(this::publish, "scale-bench-publisher");
    thread.start();
  }

  private void publish() {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0"); // a paced record leaves at once: its latency is what is measured
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      topics.forEach(producer::partitionsFor); // metadata first, so no first record's latency includes it
      double intervalNanos = 1e9 / perSecond;
      long start = System.nanoTime();
      for (long n = 0; !stopping; n++) {
        long wait = start + (long) (n * intervalNanos) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        send(producer, n);
      }
      producer.flush();
    }
  }

  /**
   * Publishes {@code records} as fast as the broker takes them (a backlog), then returns; the
   * acknowledged ones are in {@link #acknowledged()}.
   */
  void backlog(long records) {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long n = 0; n < records; n++) {
        send(producer, n);
      }
      producer.flush();
    }
  }

  /** Sends record {@code n} (the sources in turn), remembering it once the broker acknowledged it. */
  private void send(KafkaProducer<byte[], byte[]> producer, long n) {
    int source = (int) (n % generators.size());
    SyntheticRecords.KeyedBytes record = generators.get(source).next();
    producer.send(new ProducerRecord<>(topics.get(source), record.key(), record.value()), (metadata, e) -> {
      if (e == null) {
        acknowledged.add(new InputId(metadata.topic(), metadata.partition(), metadata.offset()));
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, e);
      }
    });
  }

  /** Stops publishing and waits until every record sent has been acknowledged or failed. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join();
    }
  }

  Set<InputId> acknowledged() {
    return acknowledged;
  }

  long failed() {
    return failed.get();
  }

  Exception firstFailure() {
    return firstFailure.get();
  }
}
