package io.streamscore.app;

import io.streamscore.config.StreamScoreConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        "Example: streamscore run",
        "Example: streamscore run --set num.stream.threads=2 --set http.port=0"})
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin
  ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    StreamScoreConfig config = configOptions.load(Map.of());
    CountDownLatch stopRequested = StopSignals.install(log, "draining");
    StreamScoreService service = StreamScoreService.start(config);
    System.out.println("StreamScore is running against " + service.bootstrapServers() + " (Ctrl-C or SIGTERM stops it).");
    Thread watcher = new Thread(() -> {
      try {
        service.awaitStop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopRequested.countDown();
    }, "streams-watch");
    watcher.setDaemon(true);
    watcher.start();
    stopRequested.await();
    boolean failed = service.state().name().equals("ERROR");
    long start = System.nanoTime();
    service.close();
    log.info("Stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    return failed ? 1 : 0;
  }
}
