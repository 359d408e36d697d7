package io.streamscore.app;

import io.streamscore.config.StreamScoreConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs StreamScore as a service until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs StreamScore until stopped.", "Loads and warms up the model, then scores every configured source until SIGTERM or SIGINT.",
        "With no bootstrap.servers it starts an embedded single-node Kafka broker and prints its address,",
        "so 'streamscore publish --set bootstrap.servers=<address>' can feed it from another terminal.",
        "On SIGTERM it drains: Kafka Streams finishes its in-flight records and commits, leaves the group,",
        "then the model is closed after its last call; exit code 0 (1 if Kafka Streams failed).",
        "A SIGTERM during start-up stops start-up at once and releases what it started; exit code 0.",
        "Example: streamscore run",
        "Example: streamscore run --set num.stream.threads=2 --set http.port=0"})
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin
  ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    // First, so a SIGTERM at any later moment is answered (a stop, exit 0), never by the JVM's
    // default (exit 143).
    long began = System.nanoTime();
    StopRequest stop = StopSignals.install(log, "draining", new StopRequest(stage -> log.info("Start-up: {}", stage.description())));
    StreamScoreConfig config = configOptions.load(Map.of());
    StreamScoreService service;
    try {
      service = StreamScoreService.start(config, stop);
    } catch (StopRequest.StartupStopped e) {
      log.info("Start-up stopped ({}) {} ms after it began; nothing is left running", e.getMessage(), (System.nanoTime() - began) / 1_000_000);
      return 0;
    }
    if (!stop.requested()) {
      System.out.println("StreamScore is running against " + service.bootstrapServers() + " (Ctrl-C or SIGTERM stops it).");
    }
    Thread watcher = new Thread(() -> {
      try {
        service.awaitStop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stop.request("Kafka Streams stopping by itself");
    }, "streams-watch");
    watcher.setDaemon(true);
    watcher.start();
    stop.await();
    boolean failed = service.state().name().equals("ERROR");
    long start = System.nanoTime();
    service.close();
    log.info("Stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    return failed ? 1 : 0;
  }
}
