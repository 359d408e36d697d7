package io.streamscore.app;

import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a {@link StopRequest} that a long-running command waits on.
 *
 * <p>The signals are handled here rather than in a shutdown hook: the command then stops on its
 * own thread with everything still alive (Kafka clients flush and close), and the process exits
 * with the command's own code, 0 for a clean stop, instead of 143. In a container the command is
 * PID 1, which has no default signal dispositions, so without a handler SIGTERM would be ignored.
 */
final class StopSignals {
  private StopSignals() {}

  /**
   * Installs handlers for SIGTERM and SIGINT that hand {@code stop} a request. The log line says
   * what the signal does: {@code action} once running; during start-up, the stage it stops.
   */
  static StopRequest install(Logger log, String action, StopRequest stop) {
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), s -> {
        if (stop.running()) {
          log.info("SIG{} received: {}", s.getName(), action);
        } else {
          log.info("SIG{} received during start-up ({}): stopping start-up and releasing what it started", s.getName(),
              stop.stage().map(StartupStage::description).orElse("reading the configuration"));
        }
        stop.request("SIG" + s.getName());
      });
    }
    return stop;
  }

  /** As above, for a command without start-up stages. */
  static StopRequest install(Logger log, String action) {
    StopRequest stop = new StopRequest();
    stop.markRunning();
    return install(log, action, stop);
  }
}
