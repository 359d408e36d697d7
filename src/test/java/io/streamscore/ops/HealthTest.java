package io.streamscore.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  void shouldBeReadyOnlyWhileRunningAndLiveUntilStreamsFailOrStop() {
    AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    Health health = new Health(state::get, () -> true);
    record Expect(State state, boolean live, boolean ready, boolean started) {}
    for (Expect e : new Expect[] {
        new Expect(State.CREATED, true, false, false),
        new Expect(State.REBALANCING, true, false, false),
        new Expect(State.RUNNING, true, true, true),
        new Expect(State.REBALANCING, true, false, true),
        new Expect(State.PENDING_ERROR, false, false, true),
        new Expect(State.ERROR, false, false, true),
        new Expect(State.NOT_RUNNING, false, false, true)}) {
      state.set(e.state());
      assertEquals(e.live(), health.live().up(), "live in " + e.state());
      assertEquals(e.ready(), health.ready().up(), "ready in " + e.state());
      assertEquals(e.started(), health.started().up(), "started in " + e.state());
    }
  }

  @Test
  void shouldNotBeReadyWhileTheModelIsNotReady() {
    Health health = new Health(() -> State.RUNNING, () -> false);
    assertEquals(false, health.ready().up());
    assertEquals("{\"status\":\"DOWN\",\"streams\":\"RUNNING\",\"model\":\"LOADING\"}", health.ready().json());
  }

  @Test
  void shouldStayReadyAndSaySoWhenTheModelStoreCannotBeReached() {
    AtomicReference<java.util.Optional<Boolean>> store = new AtomicReference<>(java.util.Optional.of(false));
    Health health = new Health(() -> State.RUNNING, () -> true, java.util.Optional::empty, store::get);
    assertEquals(true, health.ready().up(), "the loaded version goes on scoring");
    assertEquals("{\"status\":\"UP\",\"streams\":\"RUNNING\",\"model\":\"READY\",\"model_store\":\"UNREACHABLE\"}", health.ready().json());
    store.set(java.util.Optional.of(true));
    assertEquals(true, health.ready().json().endsWith("\"model_store\":\"REACHABLE\"}"), health.ready().json());
    store.set(java.util.Optional.empty());
    assertEquals(false, health.ready().json().contains("model_store"), "a local model has no store");
  }
}
