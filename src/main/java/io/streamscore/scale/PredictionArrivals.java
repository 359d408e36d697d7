package io.streamscore.scale;

import io.streamscore.prediction.Prediction;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed reader of the output and dead-letter topics, as a team's consumer reads them:
 * it stamps every prediction with the time it arrived, and counts the predictions of every input.
 * Runs on its own thread; {@link #arrivals()} and {@link #answers()} are for after {@link #close()}
 * (and {@link #answered()} at any time).
 */
final class PredictionArrivals implements AutoCloseable {
  /** One prediction: when it arrived, its end-to-end latency, and its input partition's index. */
  record Arrival(long arrivalMillis, long latencyMillis, int inputPartition) {}

  private final Properties clientConfig;
  private final String outputTopic;
  private final String deadLetterTopic;
  private final Map<TopicPartition, Integer> partitionIndex;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final Map<InputId, Integer> answers = new HashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile long answered;
  private volatile long deadLetters;
  private volatile boolean stopping;
  private Thread thread;

  PredictionArrivals(Properties clientConfig, String outputTopic, String deadLetterTopic, List<TopicPartition> inputPartitions) {
    this.clientConfig = clientConfig;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.partitionIndex = new HashMap<>();
    for (TopicPartition p : inputPartitions) {
      partitionIndex.put(p, partitionIndex.size());
    }
  }

  void start() {
    thread = new Thread(this::read, "scale-bench-reader");
    thread.start();
  }

  private void read() {
    Properties p = new Properties();
    p.putAll(clientConfig);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(outputTopic, deadLetterTopic)) {
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          if (record.topic().equals(deadLetterTopic)) {
            deadLetters++;
            continue;
          }
          Prediction prediction = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
          InputId input = new InputId(prediction.getTopic(), prediction.getPartition(), prediction.getOffset());
          synchronized (this) {
            answers.merge(input, 1, Integer::sum);
            arrivals.add(new Arrival(now, now - prediction.getEventTimestamp().toEpochMilli(),
                partitionIndex.getOrDefault(new TopicPartition(input.topic(), input.partition()), -1)));
          }
          answered++;
        }
      }
    } catch (Exception e) {
      failure.set(e);
    }
  }

  /** Predictions read so far. */
  long answered() {
    return answered;
  }

  long deadLetters() {
    return deadLetters;
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the prediction reader failed: " + failure.get(), failure.get());
    }
  }

  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  synchronized Map<InputId, Integer> answers() {
    // A HashMap, not Map.copyOf: the immutable map's open addressing degrades to a crawl on
    // hundreds of thousands of ids whose offsets run in sequence.
    return new HashMap<>(answers);
  }
}
