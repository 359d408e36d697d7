package io.streamscore.bench;

import io.streamscore.config.SourceDefinition;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.SchemaFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the demo sources' synthetic payments, one source after the other in turn: as fast as
 * the broker takes them (a backlog), or at a fixed rate (for latency). Each source's records come
 * from its own seeded generator, so a given seed always publishes the same records.
 */
final class BenchPublisher {
  private final Properties clientConfig;
  private final List<SyntheticRecords.Generator> generators = new ArrayList<>();

  BenchPublisher(Properties clientConfig, List<SourceDefinition> sources, long seed) {
    this.clientConfig = clientConfig;
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition source = sources.get(i);
      Schema schema = SchemaFiles.read("source." + source.name() + ".schema", source.schema());
      generators.add(SyntheticRecords.forSchema(schema, seed + i, 0.1).orElseThrow(() -> new IllegalArgumentException(
          "the bench publishes synthetic records for the demo schemas only; source '" + source.name() + "' uses " + schema.getFullName())));
    }
  }

  /** Publishes {@code records} in all, spread evenly over the sources' {@code topics} (same order as the sources). */
  long backlog(List<String> topics, long records, LongConsumer progress) {
    Properties config = producerConfig("20");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long n = 0; n < records; n++) {
        send(producer, topics, n);
        if (n % 50_000 == 0) {
          progress.accept(n);
        }
      }
      producer.flush();
    }
    progress.accept(records);
    return records;
  }

  /**
   * Publishes at {@code perSecond} for {@code seconds}; each record's timestamp is taken when it is
   * sent, so end-to-end latency starts there. Returns the number sent.
   */
  long paced(List<String> topics, double perSecond, double seconds) {
    // No linger: a paced record should leave at once; its latency is what is measured.
    Properties config = producerConfig("0");
    long total = Math.max(1, Math.round(perSecond * seconds));
    double intervalNanos = 1e9 / perSecond;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      // Fetch the topics' metadata first: otherwise the first sends wait for it, and their
      // timestamps, taken before that wait, would charge it to StreamScore's latency.
      topics.forEach(producer::partitionsFor);
      long start = System.nanoTime();
      for (long n = 0; n < total; n++) {
        long due = start + (long) (n * intervalNanos);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        send(producer, topics, n);
      }
      producer.flush();
    }
    return total;
  }

  private void send(KafkaProducer<byte[], byte[]> producer, List<String> topics, long n) {
    int source = (int) (n % generators.size());
    SyntheticRecords.KeyedBytes record = generators.get(source).next();
    producer.send(new ProducerRecord<>(topics.get(source), record.key(), record.value()));
  }

  private Properties producerConfig(String lingerMs) {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    return config;
  }
}
