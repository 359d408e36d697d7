package io.streamscore.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runner's handle on one {@link BenchWorker} child JVM: starts it, follows its protocol lines,
 * and reads its RSS and CPU time from {@code /proc} (Linux), so nothing of the runner, the broker
 * or the output reader is counted.
 */
final class WorkerProcess implements AutoCloseable {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final double CLOCK_TICKS = 100.0;

  private final Process process;
  private volatile long heapUsedBytes = -1;
  private volatile String failure;
  private final java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();

  private WorkerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::follow, "bench-worker-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static WorkerProcess start(Path config, BenchMode mode, String heap, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A fixed, pre-touched heap: the heap's share of RSS is then the same in every mode, and RSS
    // differences between modes are the model's native memory.
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-XX:+AlwaysPreTouch");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchWorker.class.getName());
    command.add(config.toString());
    command.add(mode.label());
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
    return new WorkerProcess(builder.start());
  }

  private void follow() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("stats heap_used_bytes=")) {
          heapUsedBytes = Long.parseLong(line.substring("stats heap_used_bytes=".length()));
        } else if (line.startsWith("batches ") || line.startsWith("model ") || line.startsWith("split ")) {
          answers.add(line);
        } else if (line.startsWith("failed")) {
          failure = line;
        }
      }
    } catch (IOException | NumberFormatException e) {
      failure = "lost the worker's output: " + e;
    }
  }

  /**
   * Sends {@code command} (see {@link BenchWorker}'s protocol) and returns the worker's answer
   * without its first word, or null when none came within {@code timeoutSeconds}.
   */
  String ask(String command, long timeoutSeconds) throws IOException, InterruptedException {
    answers.clear();
    OutputStream stdin = process.getOutputStream();
    stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    String answer = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
    return answer == null ? null : answer.substring(answer.indexOf(' ') + 1);
  }

  /** Why the worker failed, or null while it is healthy. */
  String failure() {
    if (failure != null) {
      return failure;
    }
    return process.isAlive() ? null : "worker exited with code " + process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  double heapUsedMb() {
    return heapUsedBytes < 0 ? Double.NaN : heapUsedBytes / (1024.0 * 1024.0);
  }

  double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the worker is gone.
    }
    return Double.NaN;
  }

  /** User plus system CPU time the worker has used so far, in seconds. */
  double cpuSeconds() {
    return cpuSeconds(process.pid());
  }

  /** User plus system CPU time process {@code pid} has used so far, in seconds; NaN when unknown. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Asks the worker to stop cleanly and waits for it; kills it if it does not exit in time. */
  @Override
  public void close() {
    try {
      OutputStream stdin = process.getOutputStream();
      stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      stdin.close();
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
