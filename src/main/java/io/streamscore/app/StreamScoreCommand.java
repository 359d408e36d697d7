package io.streamscore.app;

import io.streamscore.model.ModelLoadException;
import io.streamscore.source.MappingException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamscore} command line: only parses and dispatches; each subcommand wires its own work. */
@Command(name = "streamscore", mixinStandardHelpOptions = true, version = "StreamScore 0.1.0",
    description = "Scores Kafka records from many Avro sources with one shared, warmed-up TensorFlow model per JVM.",
    subcommands = {RunCommand.class, DemoCommand.class, PublishCommand.class, ConsumeCommand.class, TrainModelCommand.class, BenchCommand.class, ScaleBenchCommand.class,
        ConfigReferenceCommand.class})
public final class StreamScoreCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before anything touches TensorFlow: JavaCPP reads its settings once.
    io.streamscore.model.internals.JavaCppSettings.apply();
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with StreamScore's error policy: a configuration, mapping or model problem is
   * reported as one line naming what is wrong, with exit code 2, not as a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StreamScoreCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException || e instanceof MappingException || e instanceof ModelLoadException
          || e instanceof KafkaAccessCheck.KafkaAccessException) {
        commandLine.getErr().println("streamscore: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
