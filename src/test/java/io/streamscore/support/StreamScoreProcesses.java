package io.streamscore.support;

import io.streamscore.app.StreamScoreCommand;
import io.streamscore.app.TopicAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/**
 * StreamScore instances in their own JVMs, as a cluster runs them: each is {@code run -c <file>}
 * with this JVM's class path, its output in a log file of its own, so a test can SIGKILL or
 * SIGTERM it like a pod. Shared by the crash and soak tests.
 */
public final class StreamScoreProcesses {
  private StreamScoreProcesses() {}

  /** Writes {@code settings} as a properties file StreamScore's {@code -c} reads (backslashes escaped). */
  public static Path writeConfig(Path file, Map<String, String> settings) throws IOException {
    StringBuilder text = new StringBuilder();
    settings.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(file, text);
    return file;
  }

  /** Starts {@code streamscore run -c config} in a child JVM (768 MB heap), stdout and stderr appended to {@code log}. */
  public static Process start(Path config, Path log) throws IOException {
    return start(config, log, List.of());
  }

  /** As above, with {@code jvmOptions} (a logging configuration, say) before the class name. */
  public static Process start(Path config, Path log, List<String> jvmOptions) throws IOException {
    return start(config, log, jvmOptions, Map.of());
  }

  /** As above, with {@code environment} added to this JVM's for the child (credentials, say). */
  public static Process start(Path config, Path log, List<String> jvmOptions, Map<String, String> environment) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), StreamScoreCommand.class.getName(), "run", "-c", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /**
   * Waits until {@code topics} exist and their partitions have leaders: the instances create them
   * at start-up, and a producer that sends to a partition whose log is not there yet can get stuck
   * retrying OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  public static void awaitTopics(String bootstrapServers, List<String> topics, Duration timeout, Path logs) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Set<String> existing = admin.listTopics().names().get();
        if (existing.containsAll(topics)) {
          TopicAdmin.awaitLeaders(admin, topics);
          return;
        }
        Thread.sleep(200); // polling the broker for the instances' topic creation, not synchronising on time
      }
      throw new AssertionError("topics " + topics + " were not created; instance logs in " + logs);
    }
  }
}
