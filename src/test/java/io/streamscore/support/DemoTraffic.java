package io.streamscore.support;

import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Valid records of the demo's sources, published on a thread of their own in small paced bursts
 * until stopped, each remembered by where the broker put it ({@code topic/partition@offset}), so a
 * reader can check every one was scored exactly once. Not a load generator: just records flowing
 * while something else happens.
 */
public final class DemoTraffic implements AutoCloseable {
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;

  private DemoTraffic(String bootstrapServers, StreamScoreConfig config, int recordsPerBurst, Duration pause) {
    thread = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> producer = EmbeddedKafka.producer(bootstrapServers)) {
        List<SyntheticRecords.Generator> generators = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        long seed = 11;
        for (var source : config.sources()) {
          generators.add(SyntheticRecords.forSchema(SchemaFiles.read("schema", source.schema()), seed++, 0.1).orElseThrow());
          topics.add(source.topics().get(0));
        }
        while (!stop.get()) {
          for (int i = 0; i < recordsPerBurst; i++) {
            int s = i % generators.size();
            SyntheticRecords.KeyedBytes record = generators.get(s).next();
            producer.send(new ProducerRecord<>(topics.get(s), record.key(), record.value()), (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                published.add(metadata.topic() + "/" + metadata.partition() + "@" + metadata.offset());
              }
            });
          }
          producer.flush();
          Thread.sleep(pause.toMillis()); // The pace of the traffic, not a synchronisation.
        }
      } catch (Exception e) {
        failure.compareAndSet(null, e);
      }
    }, "demo-traffic");
  }

  /** Starts publishing {@code recordsPerBurst} records every {@code pause}, round robin over the sources. */
  public static DemoTraffic start(String bootstrapServers, StreamScoreConfig config, int recordsPerBurst, Duration pause) {
    DemoTraffic traffic = new DemoTraffic(bootstrapServers, config, recordsPerBurst, pause);
    traffic.thread.start();
    return traffic;
  }

  /** Stops publishing and returns every record published, acknowledged by the broker. */
  public Set<String> stop() throws Exception {
    stop.set(true);
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return Set.copyOf(published);
  }

  @Override
  public void close() throws Exception {
    if (thread.isAlive()) {
      stop();
    }
  }

  /** What a read of the output and dead-letter topics found. */
  public record Read(Map<String, List<Prediction>> predictionsByInput, long deadLetters) {
    /** Inputs scored more than once. */
    public long scoredTwice() {
      return predictionsByInput.values().stream().filter(p -> p.size() > 1).count();
    }
  }

  /** Reads predictions (read_committed) until every one of {@code inputs} has one, or three minutes pass. */
  public static Read readPredictions(String bootstrapServers, StreamScoreConfig config, Set<String> inputs) throws Exception {
    Map<String, List<Prediction>> byInput = new HashMap<>();
    long deadLetters = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = EmbeddedKafka.consumerFromBeginning(bootstrapServers, config.outputTopic(),
        config.deadLetterTopic())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!byInput.keySet().containsAll(inputs) && System.nanoTime() < deadline) {
        deadLetters += take(consumer.poll(Duration.ofMillis(500)), config, byInput);
      }
      // One more poll: a duplicate written after the last expected prediction would show here.
      deadLetters += take(consumer.poll(Duration.ofSeconds(1)), config, byInput);
    }
    return new Read(byInput, deadLetters);
  }

  /** Adds the predictions among {@code records} to {@code byInput}; returns the number of dead letters among them. */
  private static long take(Iterable<ConsumerRecord<byte[], byte[]>> records, StreamScoreConfig config, Map<String, List<Prediction>> byInput)
      throws java.io.IOException {
    long deadLetters = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.topic().equals(config.deadLetterTopic())) {
        deadLetters++;
      } else {
        Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
        byInput.computeIfAbsent(p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset(), k -> new ArrayList<>()).add(p);
      }
    }
    return deadLetters;
  }
}
