package io.streamscore.topology;

import io.streamscore.model.Scorer;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.source.InputSource;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.internals.PreCommitHook;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Builds StreamScore's topology: each source's topics → score → output topic. A pure function of
 * its arguments: no I/O, so tests build it with a fake scorer and drive it without a broker.
 *
 * <p>Each source is its own sub-topology, so its tasks hold partitions of its own topics only.
 * Kafka Streams synchronises the stream time of the partitions one task holds (and waits up to
 * {@code max.task.idle.ms} for an empty one); unrelated sources need none of that, and a stateless
 * scorer never does.
 *
 * <pre>
 *   source s's topics (named or pattern) ──► score-s (decode, map, model) ──► output topic
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
  /** The store that holds nothing and drains the stream thread's batch before every offset commit. */
  public static final String PRE_COMMIT_HOOK_NAME = "drain-before-commit";

  private ScoringTopology() {}

  /** The nodes of one source's sub-topology. */
  private record Nodes(String source, String processor, String sink, String deadLetterSink, String hook) {
    static Nodes of(String suffix) {
      return new Nodes(SOURCE_NAME + suffix, PROCESSOR_NAME + suffix, SINK_NAME + suffix, DEAD_LETTER_SINK_NAME + suffix,
          PRE_COMMIT_HOOK_NAME + suffix);
    }
  }

  /** Adds one source node per source, each the root of its own sub-topology, and returns each one's nodes. */
  private static java.util.List<Nodes> addSources(Topology topology, SourceRegistry sources) {
    var bytesIn = Serdes.ByteArray().deserializer();
    java.util.List<Nodes> all = new java.util.ArrayList<>();
    for (InputSource source : sources.sources()) {
      Nodes nodes = Nodes.of("-" + source.name());
      if (source.definition().topicPattern().isPresent()) {
        topology.addSource(nodes.source(), bytesIn, bytesIn, source.definition().topicPattern().get());
      } else {
        topology.addSource(nodes.source(), bytesIn, bytesIn, source.definition().topics().toArray(String[]::new));
      }
      all.add(nodes);
    }
    return all;
  }

  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock) {
    return build(sources, scorer, outputTopic, clock, ShadowSink.NONE, ScoringListener.NONE);
  }

  /** The one-call-per-record topology, also offering every scored record to {@code shadow} for a candidate model. */
  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock, ShadowSink shadow,
      ScoringListener listener) {
    return build(sources, scorer, outputTopic, clock, shadow, listener, PredictionEncoder.singleObject());
  }

  /** As above, writing predictions in {@code encoder}'s format (output.format). */
  public static Topology build(SourceRegistry sources, Scorer scorer, String outputTopic, Clock clock, ShadowSink shadow,
      ScoringListener listener, PredictionEncoder encoder) {
    Topology topology = new Topology();
    var bytesOut = Serdes.ByteArray().serializer();
    for (Nodes nodes : addSources(topology, sources)) {
      topology.addProcessor(nodes.processor(), () -> new ScoringProcessor(sources, scorer, clock, shadow, listener, encoder), nodes.source());
      topology.addSink(nodes.sink(), outputTopic, bytesOut, bytesOut, nodes.processor());
    }
    return topology;
  }

  /**
   * The topology with StreamScore's batching: each record is decoded and mapped in {@code
   * process()}, then waits in memory with the other records of its stream thread (all of the
   * thread's tasks, of every source) for a model call of up to {@code maxRows}. A batch is scored
   * when full, when its oldest record has waited {@code flushInterval}, and always before Kafka
   * Streams commits offsets. See {@link BatchingScoringProcessor} for why nothing is lost.
   *
   * <pre>
   *   source s's topics ──► score-s (decode, map; the thread's batch; model per batch) ──► output topic
   *                           │ decode/mapping error        │ model error (per record)
   *                           ▼ (exception handler)         ▼ (dead-letters-s sink)
   *                                     dead-letter topic
   * </pre>
   */
  public static Topology buildBatched(SourceRegistry sources, Scorer scorer, String outputTopic, String deadLetterTopic, Clock clock,
      ShadowSink shadow, ScoringListener listener, int maxRows, java.time.Duration flushInterval) {
    return buildBatched(sources, scorer, outputTopic, deadLetterTopic, clock, shadow, listener, maxRows, flushInterval,
        PredictionEncoder.singleObject());
  }

  /** As above, writing predictions in {@code encoder}'s format (output.format). */
  public static Topology buildBatched(SourceRegistry sources, Scorer scorer, String outputTopic, String deadLetterTopic, Clock clock,
      ShadowSink shadow, ScoringListener listener, int maxRows, java.time.Duration flushInterval, PredictionEncoder encoder) {
    // One batch per stream thread: tasks are created, processed, committed and closed on the thread
    // that owns them, so each sees its own thread's batch.
    ThreadLocal<StreamThreadBatch> batches = ThreadLocal.withInitial(
        () -> new StreamThreadBatch(scorer, maxRows, flushInterval.toNanos(), System::nanoTime));
    Topology topology = new Topology();
    var bytesOut = Serdes.ByteArray().serializer();
    for (Nodes nodes : addSources(topology, sources)) {
      topology.addProcessor(nodes.processor(), () -> new BatchingScoringProcessor(sources, scorer, clock, shadow, listener, batches::get,
          flushInterval, nodes.sink(), nodes.deadLetterSink(), encoder), nodes.source());
      // Each sub-topology its own hook store: a store shared by two processors would merge their sub-topologies.
      topology.addStateStore(PreCommitHook.store(nodes.hook(), () -> batches.get().drain()), nodes.processor());
      topology.addSink(nodes.sink(), outputTopic, bytesOut, bytesOut, nodes.processor());
      topology.addSink(nodes.deadLetterSink(), deadLetterTopic, bytesOut, bytesOut, nodes.processor());
    }
    return topology;
  }
}
