package io.streamscore.topology;

import io.streamscore.model.FeatureRow;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.source.InputSource;
import io.streamscore.source.SourceRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores records in batches of up to {@code maxRows} without ever holding one only in memory:
 * {@code process()} decodes and maps the record (a bad one fails there and goes to the dead-letter
 * topic through Kafka Streams' handler, as in the unbatched path), then puts it into a changelogged
 * store; a batch is scored when {@code maxRows} are pending, and whatever is pending on a
 * wall-clock punctuation every {@code flushInterval}.
 *
 * <p>Why nothing is lost: Kafka Streams flushes a task's stores (and so the changelog) before it
 * commits the task's input offsets, so a committed offset's record is either scored or in the
 * changelog, from which the next owner of the task restores it, after a crash or a rebalance, and
 * scores it. Under exactly_once_v2 the changelog writes, the predictions and the offsets commit in
 * one transaction. The store is cached, so a record put and deleted between two commits costs one
 * tombstone in the changelog, not two writes.
 *
 * <p>Order: the store key is (topic, partition, offset), so each flush scores and forwards each
 * partition's records in offset order, and a flush takes the oldest first.
 *
 * <p>A batch whose model call fails is scored again one record at a time; a record that still
 * fails is forwarded to the dead-letter sink with Kafka Streams' dead-letter headers
 * ({@code __streams.errors.*}), its original key, value and headers.
 *
 * <p>One instance per task; not thread-safe, and need not be.
 */
final class BufferedScoringProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger log = LoggerFactory.getLogger(BufferedScoringProcessor.class);

  private final SourceRegistry sources;
  private final Scorer scorer;
  private final Clock clock;
  private final ShadowSink shadow;
  private final ScoringListener listener;
  private final int maxRows;
  private final PredictionEncoder encoder;
  private final Duration flushInterval;
  /**
   * The store's contents, in processing order (hence each partition's offset order), with each
   * record's mapped row. The store is only ever written (put, then delete once scored), never read
   * on the hot path: scanning it would also walk the deletes its cache holds until the next commit.
   * It is read once, in init(), to take over what a previous owner left.
   */
  private final LinkedHashMap<Bytes, Waiting> waiting = new LinkedHashMap<>();
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> pending;

  /** A record waiting for its batch; {@code row} is null for one restored from the changelog, mapped when flushed. */
  private record Waiting(PendingRecord record, FeatureRow row) {}

  BufferedScoringProcessor(SourceRegistry sources, Scorer scorer, Clock clock, ShadowSink shadow, ScoringListener listener,
      int maxRows, Duration flushInterval, PredictionEncoder encoder) {
    this.encoder = encoder;
    this.sources = sources;
    this.scorer = scorer;
    this.clock = clock;
    this.shadow = shadow;
    this.listener = listener;
    this.maxRows = maxRows;
    this.flushInterval = flushInterval;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.pending = context.getStateStore(ScoringTopology.PENDING_STORE_NAME);
    // Records restored from the changelog (left by a crashed or revoked owner) are scored first,
    // in key order: (topic, partition, offset).
    try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        waiting.put(entry.key, new Waiting(PendingRecord.read(entry.key, entry.value), null));
      }
    }
    if (!waiting.isEmpty()) {
      log.info("Task {}: {} restored records pending; scoring them first", context.taskId(), waiting.size());
    }
    context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flushAll());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow(() -> new IllegalStateException("record without source metadata"));
    FeatureRow row = sources.toFeatures(ScoringProcessor.sourceOf(sources, metadata.topic()), record.value());
    Bytes key = PendingRecord.storeKey(metadata.topic(), metadata.partition(), metadata.offset());
    pending.put(key, PendingRecord.storeValue(record.key(), record.value(), record.timestamp(), record.headers()));
    waiting.put(key, new Waiting(new PendingRecord(metadata.topic(), metadata.partition(), metadata.offset(), record.key(),
        record.value(), record.timestamp(), record.headers()), row));
    if (waiting.size() >= maxRows) {
      flushAll();
    }
  }

  private void flushAll() {
    while (!waiting.isEmpty()) {
      flushBatch();
    }
  }

  private void flushBatch() {
    List<Bytes> keys = new ArrayList<>(Math.min(maxRows, waiting.size()));
    List<PendingRecord> records = new ArrayList<>(keys.size());
    List<FeatureRow> rows = new ArrayList<>(keys.size());
    Iterator<Map.Entry<Bytes, Waiting>> oldest = waiting.entrySet().iterator();
    while (oldest.hasNext() && keys.size() < maxRows) {
      Map.Entry<Bytes, Waiting> entry = oldest.next();
      oldest.remove();
      keys.add(entry.getKey());
      PendingRecord record = entry.getValue().record();
      try {
        rows.add(entry.getValue().row() != null ? entry.getValue().row() : remap(record));
        records.add(record);
      } catch (RuntimeException e) {
        if (DeadLetterHandler.dependencyDown(e)) {
          throw e; // not a bad record: the registry is down; the thread fails and the record stays pending
        }
        deadLetter(record, e);
      }
    }
    if (!records.isEmpty()) {
      score(records, rows);
    }
    for (Bytes key : keys) {
      pending.delete(key);
    }
  }

  private FeatureRow remap(PendingRecord record) {
    return sources.toFeatures(ScoringProcessor.sourceOf(sources, record.topic()), record.value());
  }

  private void score(List<PendingRecord> records, List<FeatureRow> rows) {
    List<ScoredRow> scored;
    try {
      scored = scorer.score(rows);
    } catch (RuntimeException batchFailure) {
      // Find the culprit: one call per record, so only the bad one is dead-lettered.
      for (int i = 0; i < records.size(); i++) {
        try {
          forward(records.get(i), rows.get(i), scorer.score(List.of(rows.get(i))).get(0));
        } catch (RuntimeException e) {
          deadLetter(records.get(i), e);
        }
      }
      return;
    }
    for (int i = 0; i < records.size(); i++) {
      forward(records.get(i), rows.get(i), scored.get(i));
    }
  }

  private void forward(PendingRecord record, FeatureRow row, ScoredRow scored) {
    String source = sources.forTopic(record.topic()).map(InputSource::name).orElse(record.topic());
    var prediction = PredictionFactory.create(source, record.topic(), record.partition(), record.offset(), record.timestamp(),
        scorer.model().name(), scored, clock.instant());
    context.forward(new Record<>(record.key(), encoder.encode(prediction), record.timestamp(), record.headers()),
        ScoringTopology.SINK_NAME);
    listener.scored(source, scored, scored.batchSize());
    if (shadow != ShadowSink.NONE) {
      shadow.offer(record.key(), row, new ShadowSink.Lineage(source, record.topic(), record.partition(), record.offset(),
          record.timestamp()));
    }
  }

  /** The same record and headers Kafka Streams' own dead-letter queue writes (KIP-1034). */
  private void deadLetter(PendingRecord record, RuntimeException reason) {
    log.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), reason.getMessage());
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    StringWriter trace = new StringWriter();
    reason.printStackTrace(new PrintWriter(trace));
    headers.add("__streams.errors.exception", utf8(reason.getClass().getName()));
    headers.add("__streams.errors.message", utf8(String.valueOf(reason.getMessage())));
    headers.add("__streams.errors.stacktrace", utf8(trace.toString()));
    headers.add("__streams.errors.topic", utf8(record.topic()));
    headers.add("__streams.errors.partition", utf8(Integer.toString(record.partition())));
    headers.add("__streams.errors.offset", utf8(Long.toString(record.offset())));
    context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), ScoringTopology.DEAD_LETTER_SINK_NAME);
    listener.deadLettered(record.topic(), reason);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
