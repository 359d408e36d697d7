package io.streamscore.topology;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.source.InputSource;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.internals.PreCommitHook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and maps each record in {@code process()} (a bad one fails there and goes to the
 * dead-letter topic through Kafka Streams' handler), then hands it to its stream thread's {@link
 * StreamThreadBatch}, which scores the records of all the thread's tasks together.
 *
 * <p>Why nothing is lost, though records wait in memory after {@code process()} returned: the
 * thread's batch is drained, scored and forwarded from the task's {@link PreCommitHook} store,
 * which Kafka Streams calls before it computes and commits any task's offsets, on every clean
 * path. A committed offset's record has therefore been forwarded to the task's producer, which
 * Kafka Streams flushes right after the hook and before the commit; under exactly_once_v2 it is in
 * the same transaction as the offsets. A crash commits nothing, and the next owner reads the
 * records again from the last committed offset. Forwarding happens on the stream thread, through
 * the owning task's context, with the record's own context restored.
 *
 * <p>One instance per task; not thread-safe, and need not be.
 */
final class BatchingScoringProcessor implements Processor<byte[], byte[], byte[], byte[]>, StreamThreadBatch.Owner {
  private static final Logger log = LoggerFactory.getLogger(BatchingScoringProcessor.class);

  private final SourceRegistry sources;
  private final Scorer scorer;
  private final Clock clock;
  private final ShadowSink shadow;
  private final ScoringListener listener;
  private final Supplier<StreamThreadBatch> threadBatch;
  private final Duration flushInterval;
  private final String sink;
  private final String deadLetterSink;
  private final PredictionEncoder encoder;
  private ProcessorContext<byte[], byte[]> context;
  private PreCommitHook.Forwarder<byte[], byte[]> forwarder;
  private StreamThreadBatch batch;

  BatchingScoringProcessor(SourceRegistry sources, Scorer scorer, Clock clock, ShadowSink shadow, ScoringListener listener,
      Supplier<StreamThreadBatch> threadBatch, Duration flushInterval, String sink, String deadLetterSink, PredictionEncoder encoder) {
    this.encoder = encoder;
    this.sink = sink;
    this.deadLetterSink = deadLetterSink;
    this.sources = sources;
    this.scorer = scorer;
    this.clock = clock;
    this.shadow = shadow;
    this.listener = listener;
    this.threadBatch = threadBatch;
    this.flushInterval = flushInterval;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.forwarder = PreCommitHook.forwarder(context);
    this.batch = threadBatch.get();
    context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> batch.drainIfDue());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow(() -> new IllegalStateException("record without source metadata"));
    FeatureRow row = sources.toFeatures(ScoringProcessor.sourceOf(sources, metadata.topic()), record.value());
    batch.add(new StreamThreadBatch.Pending(this, new PendingRecord(metadata.topic(), metadata.partition(), metadata.offset(),
        record.key(), record.value(), record.timestamp(), record.headers()), row));
  }

  @Override
  public void close() {
    int dropped = batch == null ? 0 : batch.discard(this);
    if (dropped > 0) {
      // Only on a dirty close (a clean one commits, and so drains, first): nothing was committed
      // for these records, and the partitions' next owner reads them again.
      log.info("Task {} closed with {} records not yet scored; its next owner scores them from the last committed offset",
          context.taskId(), dropped);
    }
  }

  @Override
  public void forward(PendingRecord record, FeatureRow row, ScoredRow scored) {
    String source = sources.forTopic(record.topic()).map(InputSource::name).orElse(record.topic());
    var prediction = PredictionFactory.create(source, record.topic(), record.partition(), record.offset(), record.timestamp(),
        scorer.model().name(), scored, clock.instant());
    forwarder.forward(new Record<>(record.key(), encoder.encode(prediction), record.timestamp(), record.headers()),
        sink, record.topic(), record.partition(), record.offset(), record.key(), record.value());
    listener.scored(source, scored, scored.batchSize());
    if (shadow != ShadowSink.NONE) {
      shadow.offer(record.key(), row, new ShadowSink.Lineage(source, record.topic(), record.partition(), record.offset(),
          record.timestamp()));
    }
  }

  /** The same record and headers Kafka Streams' own dead-letter queue writes (KIP-1034). */
  @Override
  public void deadLetter(PendingRecord record, RuntimeException reason) {
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
    forwarder.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), deadLetterSink,
        record.topic(), record.partition(), record.offset(), record.key(), record.value());
    listener.deadLettered(record.topic(), reason);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
