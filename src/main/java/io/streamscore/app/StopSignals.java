package io.streamscore.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a latch that a long-running command waits on.
 *
 * <p>The signals are handled here rather than in a shutdown hook: the command then stops on its
 * own thread with everything still alive (Kafka clients flush and close), and the process exits
 * with the command's own code, 0 for a clean stop, instead of 143. In a container the command is
 * PID 1, which has no default signal dispositions, so without a handler SIGTERM would be ignored.
 */
final class StopSignals {
  private StopSignals() {}

  /** Installs handlers for SIGTERM and SIGINT that log {@code action} and count the returned latch down. */
  static CountDownLatch install(Logger log, String action) {
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), s -> {
        log.info("SIG{} received: {}", s.getName(), action);
        stopRequested.countDown();
      });
    }
    return stopRequested;
  }
}
