package io.streamscore.topology;

import io.streamscore.model.FeatureRow;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.source.InputSource;
import io.streamscore.source.SourceRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes, maps and scores one record and forwards its prediction, keyed as the input.
 *
 * <p>Failure policy lives outside: any exception thrown here (undecodable bytes, an unknown writer
 * schema, a null required field, a failed model call) goes to Kafka Streams' processing exception
 * handler, which StreamScore configures to write the record to the dead-letter topic with the
 * exception's message and go on.
 *
 * <p>One instance per stream task, so not shared between threads; the {@link Scorer} and the
 * {@link SourceRegistry} it uses are shared and thread-safe. A record is scored before {@code
 * process} returns, so Kafka Streams never commits the offset of a record that was not scored.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private final SourceRegistry sources;
  private final Scorer scorer;
  private final Clock clock;
  private final ShadowSink shadow;
  private final ScoringListener listener;
  private final PredictionEncoder encoder;
  private ProcessorContext<byte[], byte[]> context;

  ScoringProcessor(SourceRegistry sources, Scorer scorer, Clock clock, ShadowSink shadow, ScoringListener listener,
      PredictionEncoder encoder) {
    this.listener = listener;
    this.encoder = encoder;
    this.sources = sources;
    this.scorer = scorer;
    this.clock = clock;
    this.shadow = shadow;
  }

  /** The source {@code topic} belongs to; every topic the topology reads should have one. */
  static InputSource sourceOf(SourceRegistry sources, String topic) {
    return sources.forTopic(topic).orElseThrow(() -> new UnknownSourceException(
        "topic '" + topic + "' belongs to no configured source; check source.<name>.topics and topic.pattern"));
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow(() -> new IllegalStateException("record without source metadata"));
    InputSource source = sourceOf(sources, metadata.topic());
    FeatureRow row = sources.toFeatures(source, record.value());
    ScoredRow scored = scorer.score(List.of(row)).get(0);
    var prediction = PredictionFactory.create(source.name(), metadata.topic(), metadata.partition(), metadata.offset(),
        record.timestamp(), scorer.model().name(), scored, clock.instant());
    context.forward(record.withValue(encoder.encode(prediction)));
    listener.scored(source.name(), scored, scored.batchSize());
    if (shadow != ShadowSink.NONE) {
      shadow.offer(record.key(), row, new ShadowSink.Lineage(source.name(), metadata.topic(), metadata.partition(),
          metadata.offset(), record.timestamp()));
    }
  }
}
