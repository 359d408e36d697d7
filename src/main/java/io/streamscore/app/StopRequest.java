package io.streamscore.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A request to stop (SIGTERM, SIGINT), which may come at any moment: during start-up or once
 * running. Thread-safe.
 *
 * <p>During a stage that waits on the network ({@link StartupStage#interruptible()}) a request
 * interrupts the thread that runs start-up, so the wait (a Kafka admin future, an HTTP call) ends at
 * once; a flag checked only between stages would let a 30 s wait for an absent broker run on after
 * the signal. Every stage boundary ({@link #enter}) refuses to go on. The other stages end on their
 * own (TensorFlow's load) or check the request themselves (the warm-up's loop).
 */
public final class StopRequest {
  private final CountDownLatch requested = new CountDownLatch(1);
  private final Consumer<StartupStage> onStage;
  private volatile String cause;
  private volatile Thread startup;
  private volatile StartupStage stage;
  private volatile StartupStage requestedDuring;
  private volatile boolean running;

  /** @param onStage told of each stage as start-up enters it, on the start-up thread (logging; a test's stop) */
  public StopRequest(Consumer<StartupStage> onStage) {
    this.onStage = onStage;
  }

  public StopRequest() {
    this(stage -> {});
  }

  /** Thrown by a start-up that a stop request ended; what was started has been released. */
  public static final class StartupStopped extends RuntimeException {
    private final StartupStage stage;

    StartupStopped(StartupStage stage, String cause) {
      super("start-up stopped by " + cause + ", which came while " + (stage == null ? "reading the configuration" : stage.description()));
      this.stage = stage;
    }

    /** The stage start-up was in; empty before the first. */
    public Optional<StartupStage> stage() {
      return Optional.ofNullable(stage);
    }
  }

  /** Asks to stop; {@code cause} names who asked ("SIGTERM"). Only the first request counts. */
  public void request(String cause) {
    synchronized (this) {
      if (requested.getCount() == 0) {
        return;
      }
      this.cause = cause;
      this.requestedDuring = stage;
      requested.countDown();
      interruptIfWaiting();
    }
  }

  private void interruptIfWaiting() {
    Thread thread = startup;
    if (thread != null && !running && stage != null && stage.interruptible()) {
      thread.interrupt();
    }
  }

  public boolean requested() {
    return requested.getCount() == 0;
  }

  /** Waits up to {@code timeout} for a request; returns whether one came. */
  public boolean await(Duration timeout) throws InterruptedException {
    return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public void await() throws InterruptedException {
    requested.await();
  }

  /** The stage start-up is in; empty before the first and once running. */
  public Optional<StartupStage> stage() {
    return running ? Optional.empty() : Optional.ofNullable(stage);
  }

  /** Whether start-up has finished and the service runs: a request now is a drain, not an abort. */
  public boolean running() {
    return running;
  }

  /** Binds start-up to the calling thread: a request from now on interrupts it. */
  void startupOn(Thread thread) {
    synchronized (this) {
      startup = thread;
    }
  }

  /**
   * Start-up enters {@code next}.
   *
   * @throws StartupStopped when a stop was requested
   */
  void enter(StartupStage next) {
    synchronized (this) {
      stage = next;
    }
    onStage.accept(next);
    checkNotRequested();
  }

  /** @throws StartupStopped when a stop was requested */
  void checkNotRequested() {
    if (requested()) {
      throw stopped();
    }
  }

  /** The exception that reports this request ended start-up at the current stage. */
  StartupStopped stopped() {
    return new StartupStopped(requestedDuring == null ? stage : requestedDuring, cause == null ? "a stop request" : cause);
  }

  /** Start-up is over and the service runs: from now on a request no longer interrupts the start-up thread. */
  void markRunning() {
    synchronized (this) {
      running = true;
      Thread.interrupted(); // a request that raced with the last stage is answered by a drain, not by a stray interrupt
    }
  }
}
