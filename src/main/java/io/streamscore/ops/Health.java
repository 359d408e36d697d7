package io.streamscore.ops;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The three answers Kubernetes asks for, from Kafka Streams' state. A StreamScore instance exists
 * only after its model was loaded and warmed up, so the model's part of readiness holds by
 * construction and is reported for clarity.
 *
 * <ul>
 *   <li>live: not failed. ERROR, PENDING_ERROR and NOT_RUNNING (stopped by itself) are not live:
 *       restarting the pod is the cure.
 *   <li>ready: the model is warm, Kafka Streams is RUNNING (not rebalancing) and the schema
 *       registry, when one is configured, answered the last request: traffic is flowing. A
 *       registry outage makes the instance unready, not dead: restarting would not help.
 *   <li>started: Kafka Streams has been RUNNING at least once.
 * </ul>
 *
 * A model store (an s3:// model path) that cannot be reached is reported but does not make the
 * instance unready: the version already loaded goes on scoring, and only new versions wait.
 *
 * Thread-safe.
 */
public final class Health {
  private final Supplier<KafkaStreams.State> state;
  private final Supplier<Boolean> modelReady;
  private final Supplier<Optional<Boolean>> registryReachable;
  private final Supplier<Optional<Boolean>> modelStoreReachable;
  private volatile boolean started;

  public Health(Supplier<KafkaStreams.State> state, Supplier<Boolean> modelReady) {
    this(state, modelReady, Optional::empty);
  }

  /** @param registryReachable empty when no schema registry is configured */
  public Health(Supplier<KafkaStreams.State> state, Supplier<Boolean> modelReady, Supplier<Optional<Boolean>> registryReachable) {
    this(state, modelReady, registryReachable, Optional::empty);
  }

  /** @param modelStoreReachable empty when the model is read from a local directory */
  public Health(Supplier<KafkaStreams.State> state, Supplier<Boolean> modelReady, Supplier<Optional<Boolean>> registryReachable,
                Supplier<Optional<Boolean>> modelStoreReachable) {
    this.state = state;
    this.modelStoreReachable = modelStoreReachable;
    this.modelReady = modelReady;
    this.registryReachable = registryReachable;
  }

  /**
   * One answer, with the facts it rests on; {@code registry} is empty when none is configured,
   * {@code modelStore} when the model is not read from a bucket.
   */
  public record Status(boolean up, KafkaStreams.State streams, boolean model, Optional<Boolean> registry, Optional<Boolean> modelStore) {
    public Status(boolean up, KafkaStreams.State streams, boolean model) {
      this(up, streams, model, Optional.empty(), Optional.empty());
    }

    public String json() {
      return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + streams + "\",\"model\":\"" + (model ? "READY" : "LOADING") + "\""
          + registry.map(r -> ",\"schema_registry\":\"" + (r ? "REACHABLE" : "UNREACHABLE") + "\"").orElse("")
          + modelStore.map(r -> ",\"model_store\":\"" + (r ? "REACHABLE" : "UNREACHABLE") + "\"").orElse("") + "}";
    }
  }

  public Status live() {
    KafkaStreams.State now = state.get();
    boolean failed = now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.NOT_RUNNING;
    return new Status(!failed, now, modelReady.get(), registryReachable.get(), modelStoreReachable.get());
  }

  public Status ready() {
    KafkaStreams.State now = state.get();
    if (now == KafkaStreams.State.RUNNING) {
      started = true;
    }
    Optional<Boolean> registry = registryReachable.get();
    return new Status(now == KafkaStreams.State.RUNNING && modelReady.get() && registry.orElse(true), now, modelReady.get(), registry,
        modelStoreReachable.get());
  }

  public Status started() {
    KafkaStreams.State now = state.get();
    if (now == KafkaStreams.State.RUNNING) {
      started = true;
    }
    return new Status(started, now, modelReady.get(), registryReachable.get(), modelStoreReachable.get());
  }
}
