package io.streamscore.topology.internals;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The only place StreamScore touches Kafka Streams internals: a callback that runs before every
 * offset commit, and forwarding from inside it. Everything else uses the public API.
 *
 * <h2>The contract this rests on (Kafka Streams 4.4, read in its source)</h2>
 * <ol>
 *   <li>Before a task's offsets are committed, on every clean path (the regular commit, a
 *       rebalance's revocation, a clean shutdown), {@code StreamTask.prepareCommit()} calls {@code
 *       ProcessorStateManager.flushCache()}, which calls {@link CachedStateStore#flushCache()} on
 *       every registered store that implements it; only then does it compute the offsets to commit
 *       and, after them, flush the producer and send the offsets ({@code commitSync}, or {@code
 *       sendOffsetsToTransaction} and {@code commitTransaction} under exactly_once_v2). A dirty
 *       close (crash, fencing, lost partitions) commits nothing. The DSL's caches rely on the
 *       same call to forward their contents downstream before a commit.</li>
 *   <li>A record forwarded from there needs the task's record context and current node set, as
 *       the DSL's cache flush does: {@link InternalProcessorContext#setRecordContext} and {@link
 *       InternalProcessorContext#setCurrentNode}. The context a processor gets in {@code init()}
 *       is the task's {@link InternalProcessorContext}, and its current node then is that
 *       processor's node.</li>
 * </ol>
 * {@code PreCommitDrainIntegrationTest} checks the first point against a real broker, under both
 * guarantees, on a regular commit, a revocation and a close: it fails if an upgrade stops calling
 * the hook before the offsets are sent. The topology tests check the second point.
 *
 * <p>No adopted KIP offers a public pre-commit hook; KIP-408 was abandoned. Not thread-safe: each
 * method is called on the stream thread that owns the task.
 */
public final class PreCommitHook {
  private PreCommitHook() {}

  /**
   * A store that holds nothing and runs {@code beforeCommit} on the stream thread whenever Kafka
   * Streams is about to commit the offsets of the task it belongs to. Not logged, not persistent.
   */
  public static StoreBuilder<StateStore> store(String name, Runnable beforeCommit) {
    return new HookStoreBuilder(name, beforeCommit);
  }

  /** Forwards records from any point of the stream thread, with a record context restored. */
  public static <K, V> Forwarder<K, V> forwarder(ProcessorContext<K, V> context) {
    if (!(context instanceof InternalProcessorContext<K, V> internal)) {
      throw new IllegalStateException("Kafka Streams passed a " + context.getClass().getName()
          + " to init(), not its InternalProcessorContext: this Kafka Streams version breaks PreCommitHook's contract");
    }
    ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
    if (node == null) {
      throw new IllegalStateException("no current node during init(): this Kafka Streams version breaks PreCommitHook's contract");
    }
    return new Forwarder<>(internal, node);
  }

  /**
   * Forwards a record as the processor it was made in, as if that processor were processing the
   * input at (topic, partition, offset). Restores the context's previous record context and node.
   */
  public static final class Forwarder<K, V> {
    private final InternalProcessorContext<K, V> context;
    private final ProcessorNode<?, ?, ?, ?> node;

    private Forwarder(InternalProcessorContext<K, V> context, ProcessorNode<?, ?, ?, ?> node) {
      this.context = context;
      this.node = node;
    }

    /**
     * @param rawKey the input's key bytes, for a production exception handler's dead-letter record
     * @param rawValue the input's value bytes, likewise
     */
    public void forward(Record<K, V> record, String childName, String topic, int partition, long offset, byte[] rawKey,
        byte[] rawValue) {
      ProcessorRecordContext previousContext = context.recordContext();
      ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
      Headers headers = record.headers();
      context.setRecordContext(new ProcessorRecordContext(record.timestamp(), offset, partition, topic, headers, rawKey, rawValue));
      context.setCurrentNode(node);
      try {
        context.forward(record, childName);
      } finally {
        context.setRecordContext(previousContext);
        context.setCurrentNode(previousNode);
      }
    }
  }

  private record HookStoreBuilder(String name, Runnable beforeCommit) implements StoreBuilder<StateStore> {
    HookStoreBuilder {
      Objects.requireNonNull(name);
      Objects.requireNonNull(beforeCommit);
    }

    @Override
    public StoreBuilder<StateStore> withCachingEnabled() {
      return this;
    }

    @Override
    public StoreBuilder<StateStore> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<StateStore> withLoggingEnabled(Map<String, String> config) {
      throw new UnsupportedOperationException("the pre-commit hook store holds nothing to log");
    }

    @Override
    public StoreBuilder<StateStore> withLoggingDisabled() {
      return this;
    }

    @Override
    public StateStore build() {
      return new HookStore(name, beforeCommit);
    }

    @Override
    public Map<String, String> logConfig() {
      return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
      return false;
    }
  }

  /** Holds nothing; {@link #flushCache()} is the hook. */
  private static final class HookStore implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private final Runnable beforeCommit;
    private volatile boolean open;

    HookStore(String name, Runnable beforeCommit) {
      this.name = name;
      this.beforeCommit = beforeCommit;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      context.register(root, (key, value) -> { });
      open = true;
    }

    @Override
    public void flushCache() {
      beforeCommit.run();
    }

    @Override
    public void clearCache() {
      // Nothing cached: what is pending belongs to the processors, which drop it when closed.
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
      return false;
    }

    @Override
    public void close() {
      open = false;
    }

    @Override
    public boolean persistent() {
      return false;
    }

    @Override
    public boolean isOpen() {
      return open;
    }
  }
}
