package io.streamscore.shadow;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.topology.PredictionFactory;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.topology.ShadowSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow scoring: every record the primary model scored is scored again by a candidate model, off
 * the stream threads, and the candidate's prediction goes to a shadow topic with the same key and
 * lineage, so a team can compare versions on live traffic before promoting one.
 *
 * <p>The primary path is never affected: {@link #offer} only puts the record in a bounded queue and
 * drops it when the queue is full (counted in {@link #dropped()}). One worker thread drains the
 * queue in batches of up to {@value #MAX_BATCH}, one model call per batch. A candidate that fails
 * or is slow costs shadow predictions, never primary ones. Shadow predictions are best effort: they
 * are written by their own producer outside Kafka Streams' commits, so a crash may lose or repeat
 * some.
 *
 * <p>Thread-safe. Close it before closing the candidate scorer and the producer.
 */
public final class ShadowScoring implements ShadowSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShadowScoring.class);
  static final int MAX_BATCH = 256;

  private record Item(byte[] key, FeatureRow row, Lineage lineage) {}

  private final Scorer candidate;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final PredictionEncoder encoder;
  private final BlockingQueue<Item> queue;
  private final AtomicLong scored = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread worker;

  public ShadowScoring(Scorer candidate, Producer<byte[], byte[]> producer, String topic, int capacity, Clock clock) {
    this(candidate, producer, topic, capacity, clock, PredictionEncoder.singleObject());
  }

  /** @param encoder the output format of the primary's predictions, which the candidate's follow */
  public ShadowScoring(Scorer candidate, Producer<byte[], byte[]> producer, String topic, int capacity, Clock clock,
      PredictionEncoder encoder) {
    this.encoder = encoder;
    this.candidate = candidate;
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, "shadow-scoring");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void offer(byte[] key, FeatureRow row, Lineage lineage) {
    if (!running.get() || !queue.offer(new Item(key, row, lineage))) {
      dropped.incrementAndGet();
    }
  }

  private void run() {
    List<Item> batch = new ArrayList<>(MAX_BATCH);
    while (running.get() || !queue.isEmpty()) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        score(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void score(List<Item> batch) {
    List<ScoredRow> results;
    try {
      results = candidate.score(batch.stream().map(Item::row).toList());
    } catch (RuntimeException e) {
      if (batch.size() > 1) {
        // One bad record must not cost the others: score them one by one to isolate it.
        for (Item item : batch) {
          score(List.of(item));
        }
        return;
      }
      if (failed.getAndIncrement() == 0) {
        log.warn("Shadow model failed to score a record: {} (further failures are only counted)", e.getMessage());
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Item item = batch.get(i);
      Lineage l = item.lineage();
      var prediction = PredictionFactory.create(l.source(), l.topic(), l.partition(), l.offset(), l.eventTimestamp(),
          candidate.model().name(), results.get(i), clock.instant());
      producer.send(new ProducerRecord<>(topic, item.key(), encoder.encode(prediction)), (metadata, error) -> {
        if (error != null) {
          failed.incrementAndGet();
        }
      });
      scored.incrementAndGet();
    }
  }

  /** Records scored by the candidate and handed to the shadow topic's producer. */
  public long scored() {
    return scored.get();
  }

  /** Records not shadow-scored because the queue was full or shadow scoring was closing. */
  public long dropped() {
    return dropped.get();
  }

  /** Records whose shadow scoring or sending failed. */
  public long failed() {
    return failed.get();
  }

  /** Scores what is queued, then stops; waits at most {@code timeoutMillis}. */
  public void close(long timeoutMillis) {
    running.set(false);
    try {
      worker.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      worker.interrupt();
    }
    producer.flush();
  }

  @Override
  public void close() {
    close(10_000);
  }
}
