package io.streamscore.topology;

import io.streamscore.model.Scorer;
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

  private ScoringTopology() {}

  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock) {
    return build(sources, scorer, outputTopic, clock, ShadowSink.NONE, ScoringListener.NONE);
  }

  /** The topology, also offering every scored record to {@code shadow} for a candidate model. */
  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock, ShadowSink shadow,
      ScoringListener listener) {
    StreamsBuilder builder = new StreamsBuilder();
    Consumed<byte[], byte[]> consumed = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE_NAME);
    KStream<byte[], byte[]> input = sources.usesPatterns()
        ? builder.stream(sources.subscriptionPattern(), consumed)
        : builder.stream(sources.namedTopics(), consumed);
    input.process(() -> new ScoringProcessor(sources, scorer, clock, shadow, listener), Named.as(PROCESSOR_NAME))
        .to(outputTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SINK_NAME));
    return builder.build();
  }
}
