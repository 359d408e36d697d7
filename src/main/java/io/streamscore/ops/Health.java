package io.streamscore.ops;

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
 *   <li>ready: the model is warm and Kafka Streams is RUNNING (not rebalancing): traffic is flowing.
 *   <li>started: Kafka Streams has been RUNNING at least once.
 * </ul>
 *
 * Thread-safe.
 */
public final class Health {
  private final Supplier<KafkaStreams.State> state;
  private final Supplier<Boolean> modelReady;
  private volatile boolean started;

  public Health(Supplier<KafkaStreams.State> state, Supplier<Boolean> modelReady) {
    this.state = state;
    this.modelReady = modelReady;
  }

  /** One answer, with the facts it rests on. */
  public record Status(boolean up, KafkaStreams.State streams, boolean model) {
    public String json() {
      return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + streams + "\",\"model\":\"" + (model ? "READY" : "LOADING") + "\"}";
    }
  }

  public Status live() {
    KafkaStreams.State now = state.get();
    boolean failed = now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.NOT_RUNNING;
    return new Status(!failed, now, modelReady.get());
  }

  public Status ready() {
    KafkaStreams.State now = state.get();
    if (now == KafkaStreams.State.RUNNING) {
      started = true;
    }
    return new Status(now == KafkaStreams.State.RUNNING && modelReady.get(), now, modelReady.get());
  }

  public Status started() {
    KafkaStreams.State now = state.get();
    if (now == KafkaStreams.State.RUNNING) {
      started = true;
    }
    return new Status(started, now, modelReady.get());
  }
}
