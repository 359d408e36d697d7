package io.streamscore.app;

import io.streamscore.config.StreamScoreConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs StreamScore as a service until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs StreamScore until stopped.", "Loads and warms up the model, then scores every configured source until SIGTERM or SIGINT.",
        "With no bootstrap.servers it starts an embedded single-node Kafka broker and prints its address,",
        "so 'streamscore publish --set bootstrap.servers=<address>' can feed it from another terminal."})
final class RunCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    StreamScoreConfig config = configOptions.load(Map.of());
    StreamScoreService service = StreamScoreService.start(config);
    Thread shutdown = new Thread(service::close, "streamscore-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    System.out.println("StreamScore is running against " + service.bootstrapServers() + " (Ctrl-C or SIGTERM stops it).");
    service.awaitStop();
    return service.state().name().equals("ERROR") ? 1 : 0;
  }
}
