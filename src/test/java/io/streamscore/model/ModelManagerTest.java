package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.FraudScenario;
import io.streamscore.support.ModelDirectories;
import io.streamscore.support.TestModels;
import io.streamscore.training.FraudModelTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ModelManagerTest {
  private static final Path DEMO_VERSION = TestModels.demoModel().resolve("1");
  private static final List<FeatureRow> ROW = List.of(FraudModelTrainer.featureRow(FraudScenario.draw(new Random(5), false)));

  @TempDir
  Path base;

  private ModelManager start(VersionPolicy policy) {
    return ModelManager.start(ModelOptions.defaults(base).withVersionPolicy(policy, Duration.ZERO));
  }

  @Test
  void shouldSwapInANewVersionWhileCallsInFlightFinishOnTheOldOne() {
    ModelDirectories.addVersion(DEMO_VERSION, base, 1);
    try (ModelManager manager = start(VersionPolicy.latest())) {
      ModelManager.Lease inFlight = manager.lease();
      ModelDirectories.addVersion(DEMO_VERSION, base, 2);

      assertEquals(2, manager.poll());
      assertEquals(2, manager.model().version());
      assertEquals(2, manager.score(ROW).get(0).modelVersion(), "new calls go to the new version");
      assertEquals(1, inFlight.score(ROW).get(0).modelVersion(), "the leased call still runs on the old version");
      assertFalse(inFlight.versionClosed(), "the old version stays open while a lease holds it");
      inFlight.close();
      assertTrue(inFlight.versionClosed(), "the old version closes when its last lease is released");
      assertEquals(1, manager.swaps());
    }
  }

  @Test
  void shouldRefuseACorruptVersionAndKeepScoringWithTheServingOne() throws Exception {
    ModelDirectories.addVersion(DEMO_VERSION, base, 1);
    try (ModelManager manager = start(VersionPolicy.latest())) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong scored = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch scoring = new CountDownLatch(1);
      Thread caller = new Thread(() -> {
        try {
          while (!stop.get()) {
            assertEquals(1, manager.score(ROW).get(0).modelVersion());
            scored.incrementAndGet();
            scoring.countDown();
          }
        } catch (Throwable t) {
          failure.set(t);
          scoring.countDown();
        }
      });
      caller.start();
      scoring.await();
      Path corrupt = base.resolve("2");
      Files.createDirectories(corrupt.resolve("variables"));
      Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});

      assertEquals(1, manager.poll());
      long before = scored.get();
      assertEquals(1, manager.poll(), "a refused version is not retried until it changes");
      stop.set(true);
      caller.join();
      assertEquals(null, failure.get());
      assertTrue(scored.get() >= before);
      assertEquals(1, manager.refusals().size());
      assertEquals(2, manager.refusals().get(0).version());
      assertTrue(manager.refusals().get(0).reason().contains("cannot be loaded"), manager.refusals().get(0).reason());
    }
  }

  @Test
  void shouldRefuseAVersionWhoseInputsNoLongerFitTheMapping() throws Exception {
    ModelDirectories.addVersion(DEMO_VERSION, base, 1);
    Path zoo = TestModels.dtypeZoo(Files.createTempDirectory("zoo")).resolve("7");
    try (ModelManager manager = start(VersionPolicy.latest())) {
      ModelDirectories.addVersion(zoo, base, 2);
      assertEquals(1, manager.poll());
      assertTrue(manager.refusals().get(0).reason().contains("differ from the serving version's"), manager.refusals().get(0).reason());
      assertEquals(1, manager.score(ROW).get(0).modelVersion());
    }
  }

  @Test
  void shouldRollBackWhenTheNewestVersionDirectoryIsRemoved() {
    ModelDirectories.addVersion(DEMO_VERSION, base, 1);
    ModelDirectories.addVersion(DEMO_VERSION, base, 2);
    try (ModelManager manager = start(VersionPolicy.latest())) {
      assertEquals(2, manager.model().version());
      ModelDirectories.delete(base.resolve("2"));
      assertEquals(1, manager.poll());
      assertEquals(1, manager.score(ROW).get(0).modelVersion());
    }
  }

  @Test
  void shouldServeTheSpecificVersionEvenWhenNewerOnesExist() {
    ModelDirectories.addVersion(DEMO_VERSION, base, 123);
    ModelDirectories.addVersion(DEMO_VERSION, base, 124);
    try (ModelManager manager = start(VersionPolicy.specific(123))) {
      assertEquals(123, manager.model().version());
      assertEquals(123, manager.poll());
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void shouldFreeClosedVersionsSoFiftySwapsLeaveMemoryWhereOneSwapDoes() throws Exception {
    // 16 MB of weights per version: 50 versions left open would add about 800 MB.
    Path heavy = TestModels.heavy(Files.createTempDirectory("heavy"), 4_000_000);
    List<FeatureRow> row = List.of(new FeatureRow(1f));
    ModelDirectories.addVersion(heavy, base, 1);
    try (ModelManager manager = start(VersionPolicy.latest())) {
      long version = 1;
      // A few swaps first, so allocator pools and JIT are at their working size before measuring.
      for (int i = 0; i < 5; i++) {
        swap(manager, heavy, row, ++version);
      }
      System.gc();
      long afterOne = ModelDirectories.residentKb();
      for (int i = 0; i < 50; i++) {
        swap(manager, heavy, row, ++version);
      }
      System.gc();
      long afterFifty = ModelDirectories.residentKb();
      long growthMb = (afterFifty - afterOne) / 1024;
      assertTrue(growthMb < 100, "RSS grew by " + growthMb + " MB over 50 swaps (after one: " + afterOne / 1024 + " MB)");
      assertEquals(version, manager.model().version());
      assertEquals(55, manager.swaps());
    }
  }

  private void swap(ModelManager manager, Path model, List<FeatureRow> row, long version) {
    ModelDirectories.addVersion(model, base, version);
    assertEquals(version, manager.poll());
    assertEquals(1.25, manager.score(row).get(0).outputs().get(0).firstAsDouble());
    ModelDirectories.delete(base.resolve(Long.toString(version - 1)));
  }

  /** A source that writes a version into the base path when asked to refresh, and records what it was asked. */
  private final class VersionOnRefresh implements VersionSource {
    final List<Long> refreshedWhileServing = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile long addOnRefresh = -1;
    volatile boolean closed;

    @Override
    public Path basePath() {
      return base;
    }

    @Override
    public String describe() {
      return "a test source";
    }

    @Override
    public void refresh(long servingVersion) {
      refreshedWhileServing.add(servingVersion);
      if (addOnRefresh > 0 && !Files.exists(base.resolve(Long.toString(addOnRefresh)))) {
        ModelDirectories.addVersion(DEMO_VERSION, base, addOnRefresh);
      }
    }

    @Override
    public java.util.Optional<Status> status() {
      return java.util.Optional.of(new Status(false, java.util.Optional.empty(), 3, 1, 10, 0));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void shouldRefreshTheSourceBeforeEachPollSoWhatItBringsIsSwappedInTheSamePoll() {
    ModelDirectories.addVersion(DEMO_VERSION, base, 1);
    VersionOnRefresh source = new VersionOnRefresh();
    ModelManager manager = ModelManager.start(ModelOptions.defaults(base).withVersionPolicy(VersionPolicy.latest(), Duration.ZERO), source);
    try {
      assertEquals(1, manager.poll());
      source.addOnRefresh = 2;
      assertEquals(2, manager.poll(), "the version the source wrote is served at once");
      assertEquals(List.of(1L, 1L), source.refreshedWhileServing);
      assertEquals(3, manager.sourceStatus().orElseThrow().failedPolls(), "the source's status is the manager's to report");
    } finally {
      manager.close();
    }
    assertTrue(source.closed, "the manager owns its source");
  }

  @Test
  void shouldCloseTheSourceWhenStartUpFails() {
    VersionOnRefresh source = new VersionOnRefresh();
    org.junit.jupiter.api.Assertions.assertThrows(ModelLoadException.class,
        () -> ModelManager.start(ModelOptions.defaults(base), source), "an empty base path");
    assertTrue(source.closed);
  }
}
