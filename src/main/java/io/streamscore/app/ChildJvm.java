package io.streamscore.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a StreamScore subcommand in a child JVM with the same Java and class path. */
final class ChildJvm {
  private ChildJvm() {}

  /** Runs {@code args} with one extra environment variable, inheriting standard streams; returns its exit code. */
  static int run(String envName, String envValue, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StreamScoreCommand.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(envName, envValue);
    Process process = builder.start();
    try {
      return process.waitFor();
    } finally {
      process.destroy();
    }
  }
}
