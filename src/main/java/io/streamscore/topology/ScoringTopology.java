package io.streamscore.topology;

import io.streamscore.model.Scorer;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.source.SourceRegistry;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Builds StreamScore's topology: every source's topics → score → output topic. A pure function of
 * its arguments: no I/O, so tests build it with a fake scorer and drive it without a broker.
 *
 * <pre>
 *   input topics (named and/or pattern) ──► score (decode, map, model) ──► output topic
 *                                                    │ exception
 *                                                    ▼
 *                                    dead-letter topic (via the exception handler)
 * </pre>
 */
public final class ScoringTopology {
  public static final String SOURCE_NAME = "sources";
  public static final String PROCESSOR_NAME = "score";
  public static final String SINK_NAME = "predictions";
  public static final String DEAD_LETTER_SINK_NAME = "dead-letters";
  /** The changelogged store of records waiting for their batch (buffered batching only). */
  public static final String PENDING_STORE_NAME = "pending-records";

  private ScoringTopology() {}

  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock) {
    return build(sources, scorer, outputTopic, clock, ShadowSink.NONE, ScoringListener.NONE);
  }

  /** The topology, also offering every scored record to {@code shadow} for a candidate model. */
  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock, ShadowSink shadow,
      ScoringListener listener) {
    return build(sources, scorer, outputTopic, clock, shadow, listener, PredictionEncoder.singleObject());
  }

  /** As above, writing predictions in {@code encoder}'s format (output.format). */
  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock, ShadowSink shadow,
      ScoringListener listener, PredictionEncoder encoder) {
    StreamsBuilder builder = new StreamsBuilder();
    Consumed<byte[], byte[]> consumed = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE_NAME);
    KStream<byte[], byte[]> input = sources.usesPatterns()
        ? builder.stream(sources.subscriptionPattern(), consumed)
        : builder.stream(sources.namedTopics(), consumed);
    input.process(() -> new ScoringProcessor(sources, scorer, clock, shadow, listener, encoder), Named.as(PROCESSOR_NAME))
        .to(outputTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SINK_NAME));
    return builder.build();
  }

  /**
   * The topology with buffered batching: records wait in a changelogged store (never only in
   * memory) until {@code maxRows} are pending or the {@code flushInterval} punctuation fires, then
   * are scored in one model call. See {@link BufferedScoringProcessor} for why nothing is lost.
   *
   * <pre>
   *   input topics ──► score (decode, map; buffer; model per batch) ──► output topic
   *                      │ decode/mapping error        │ model error (per record)
   *                      ▼ (exception handler)         ▼ (dead-letters sink)
   *                                dead-letter topic
   * </pre>
   */
  public static Topology buildBuffered(SourceRegistry sources, Scorer scorer, String outputTopic, String deadLetterTopic, Clock clock,
      ShadowSink shadow, ScoringListener listener, int maxRows, java.time.Duration flushInterval) {
    return buildBuffered(sources, scorer, outputTopic, deadLetterTopic, clock, shadow, listener, maxRows, flushInterval,
        PredictionEncoder.singleObject());
  }

  /** As above, writing predictions in {@code encoder}'s format (output.format). */
  public static Topology buildBuffered(SourceRegistry sources, Scorer scorer, String outputTopic, String deadLetterTopic, Clock clock,
      ShadowSink shadow, ScoringListener listener, int maxRows, java.time.Duration flushInterval, PredictionEncoder encoder) {
    Topology topology = new Topology();
    var bytesIn = Serdes.ByteArray().deserializer();
    var bytesOut = Serdes.ByteArray().serializer();
    if (sources.usesPatterns()) {
      topology.addSource(SOURCE_NAME, bytesIn, bytesIn, sources.subscriptionPattern());
    } else {
      topology.addSource(SOURCE_NAME, bytesIn, bytesIn, sources.namedTopics().toArray(String[]::new));
    }
    topology.addProcessor(PROCESSOR_NAME,
        () -> new BufferedScoringProcessor(sources, scorer, clock, shadow, listener, maxRows, flushInterval, encoder), SOURCE_NAME);
    topology.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
            org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(PENDING_STORE_NAME), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingEnabled().withLoggingEnabled(java.util.Map.of()), PROCESSOR_NAME);
    topology.addSink(SINK_NAME, outputTopic, bytesOut, bytesOut, PROCESSOR_NAME);
    topology.addSink(DEAD_LETTER_SINK_NAME, deadLetterTopic, bytesOut, bytesOut, PROCESSOR_NAME);
    return topology;
  }
}
