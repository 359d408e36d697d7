package io.streamscore.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamscore} command line: only parses and dispatches; each subcommand wires its own work. */
@Command(name = "streamscore", mixinStandardHelpOptions = true, version = "StreamScore 0.1.0",
    description = "Scores Kafka records from many Avro sources with one shared, warmed-up TensorFlow model per JVM.",
    subcommands = {RunCommand.class, DemoCommand.class, PublishCommand.class, TrainModelCommand.class})
public final class StreamScoreCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamScoreCommand()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
