package io.streamscore.model;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces the concurrent {@link #score} calls of many threads into one call of the shared
 * model, as TensorFlow Serving's batching session does: every caller waits until its own rows are
 * scored, so a stream thread's {@code process()} still returns only after its record has a
 * prediction, and Kafka Streams never commits the offset of a record that is only in memory.
 *
 * <p>How a batch forms: the first caller to find no call in flight becomes the <em>leader</em>.
 * It takes the queued calls (its own first) up to {@code maxRows} rows, optionally waits up to
 * {@code maxWait} for more, makes one delegate call, hands every caller its rows and, if calls
 * queued meanwhile, passes the leadership to the oldest of them. With {@code maxWait} zero, a lone
 * caller pays no wait at all (its call runs at once, in its own thread) and a batch is whatever
 * queued while the previous call ran: the busier the model, the larger the batches.
 *
 * <p>Why the cost is worth it: a TensorFlow call costs tens of microseconds of fixed overhead
 * whatever its size, so rows scored per call, not threads, set the ceiling (see README,
 * Performance).
 *
 * <p>Isolation: when a batch call fails, each of its callers is scored again alone, so one bad row
 * fails only its own caller; the others get their results.
 *
 * <p>Order: each caller blocks until its rows are scored, so calls made one after the other by one
 * thread (one stream task's records) are scored in that order.
 *
 * <p>Thread-safe. {@link #close()} closes the delegate and must come after the last {@code score}
 * call has returned, as for any {@link Scorer}.
 */
public final class CoalescingScorer implements Scorer {
  private final Scorer delegate;
  private final int maxRows;
  private final long maxWaitNanos;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when calls queue up, for a leader waiting for a fuller batch. */
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Call> queue = new ArrayDeque<>();
  private int queuedRows;
  private boolean leaderActive;

  /**
   * @param maxRows most rows per delegate call; a single call with more rows goes through alone
   * @param maxWait longest a leader waits for more calls before scoring a batch smaller than
   *     {@code maxRows}; zero batches only what is already queued
   */
  public CoalescingScorer(Scorer delegate, int maxRows, Duration maxWait) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
    }
    this.delegate = delegate;
    this.maxRows = maxRows;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** One caller's rows and, once scored, its outcome. Fields are published by {@code state}. */
  private static final class Call {
    static final int WAITING = 0;
    static final int LEADING = 1;
    static final int DONE = 2;

    final List<FeatureRow> rows;
    final Thread caller = Thread.currentThread();
    volatile int state = WAITING;
    List<ScoredRow> result;
    RuntimeException failure;

    Call(List<FeatureRow> rows) {
      this.rows = rows;
    }

    void complete(List<ScoredRow> result, RuntimeException failure) {
      this.result = result;
      this.failure = failure;
      state = DONE;
      if (caller != Thread.currentThread()) {
        LockSupport.unpark(caller);
      }
    }

    void lead() {
      state = LEADING;
      LockSupport.unpark(caller);
    }
  }

  @Override
  public ModelDescription model() {
    return delegate.model();
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    if (rows.size() >= maxRows) {
      return delegate.score(rows);
    }
    Call call = new Call(rows);
    lock.lock();
    try {
      queue.addLast(call);
      queuedRows += rows.size();
      if (!leaderActive) {
        leaderActive = true;
        call.state = Call.LEADING;
      } else if (maxWaitNanos > 0) {
        arrived.signal();
      }
    } finally {
      lock.unlock();
    }
    awaitTurn(call);
    if (call.state == Call.LEADING) {
      lead();
    }
    if (call.failure != null) {
      throw call.failure;
    }
    return call.result;
  }

  /**
   * Parks until this call is scored or made leader. Interrupts are remembered, not obeyed: the
   * wait is bounded by the model call timeout of the calls ahead, and leaving early would lose a
   * leadership handed to this thread.
   */
  private static void awaitTurn(Call call) {
    boolean interrupted = false;
    while (call.state == Call.WAITING) {
      LockSupport.park(call);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs one batch whose first call is the leader's own, then hands on the leadership. */
  private void lead() {
    List<Call> batch = takeBatch();
    try {
      run(batch);
    } finally {
      lock.lock();
      try {
        Call next = queue.peekFirst();
        if (next == null) {
          leaderActive = false;
        } else {
          next.lead();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private List<Call> takeBatch() {
    lock.lock();
    try {
      if (maxWaitNanos > 0 && queuedRows < maxRows) {
        long remaining = maxWaitNanos;
        while (queuedRows < maxRows && remaining > 0) {
          try {
            remaining = arrived.awaitNanos(remaining);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      List<Call> batch = new ArrayList<>();
      int rows = 0;
      while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peekFirst().rows.size() <= maxRows)) {
        Call call = queue.pollFirst();
        rows += call.rows.size();
        batch.add(call);
      }
      queuedRows -= rows;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Call> batch) {
    try {
      runBatch(batch);
    } catch (Error e) {
      // Never leave a caller parked: whoever was not answered gets the failure too.
      for (Call call : batch) {
        if (call.state != Call.DONE) {
          call.complete(null, new ScoringException("model call failed: " + e, e));
        }
      }
      throw e;
    }
  }

  private void runBatch(List<Call> batch) {
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    List<FeatureRow> rows = new ArrayList<>();
    for (Call call : batch) {
      rows.addAll(call.rows);
    }
    List<ScoredRow> scored;
    try {
      scored = delegate.score(rows);
    } catch (RuntimeException batchFailure) {
      // Find the culprit: score each caller alone, so only the bad rows' caller fails.
      for (Call call : batch) {
        runAlone(call);
      }
      return;
    }
    int from = 0;
    for (Call call : batch) {
      int to = from + call.rows.size();
      call.complete(List.copyOf(scored.subList(from, to)), null);
      from = to;
    }
  }

  private void runAlone(Call call) {
    try {
      call.complete(delegate.score(call.rows), null);
    } catch (RuntimeException e) {
      call.complete(null, e);
    }
  }

  /** Calls waiting for a batch (not counting the one being scored); for tests and diagnosis. */
  public int queuedCalls() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CoalescingScorer[maxRows=" + maxRows + ", maxWait=" + TimeUnit.NANOSECONDS.toMicros(maxWaitNanos) + "µs, " + delegate + "]";
  }
}
