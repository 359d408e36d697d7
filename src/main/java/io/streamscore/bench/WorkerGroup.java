package io.streamscore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worker JVMs of one run, measured as one: a single StreamScore for every mode but
 * per-source-processes, which starts one per source (the status quo StreamScore replaces). Memory
 * and CPU are the sums over its processes; rows per model call are over all their model calls.
 * Not thread-safe: the runner's thread only.
 */
final class WorkerGroup implements AutoCloseable {
  private final List<WorkerProcess> workers;

  private WorkerGroup(List<WorkerProcess> workers) {
    this.workers = List.copyOf(workers);
  }

  /** Starts one worker per configuration, each running {@code mode}'s scorer; closes those started if one fails to start. */
  static WorkerGroup start(List<Path> configs, BenchMode mode, String heap, List<Path> logs) throws IOException {
    List<WorkerProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < configs.size(); i++) {
        started.add(WorkerProcess.start(configs.get(i), mode, heap, logs.get(i)));
      }
    } catch (IOException | RuntimeException e) {
      started.forEach(WorkerProcess::close);
      throw e;
    }
    return new WorkerGroup(started);
  }

  int size() {
    return workers.size();
  }

  /** The first worker's failure, naming it when there are several; null while none failed. */
  String failure() {
    for (int i = 0; i < workers.size(); i++) {
      String failure = workers.get(i).failure();
      if (failure != null) {
        return workers.size() == 1 ? failure : "worker " + (i + 1) + " of " + workers.size() + ": " + failure;
      }
    }
    return null;
  }

  double cpuSeconds() {
    return workers.stream().mapToDouble(WorkerProcess::cpuSeconds).sum();
  }

  double rssMb() {
    return workers.stream().mapToDouble(WorkerProcess::rssMb).sum();
  }

  double heapUsedMb() {
    return workers.stream().mapToDouble(WorkerProcess::heapUsedMb).sum();
  }

  /** Every worker's CPU by kind of thread, summed; null if one did not answer. */
  ThreadCpuSplit.Sample split() throws IOException, InterruptedException {
    ThreadCpuSplit.Sample sum = new ThreadCpuSplit.Sample(0, 0, 0, 0, 0);
    for (WorkerProcess worker : workers) {
      String answer = worker.ask("split", 10);
      if (answer == null) {
        return null;
      }
      ThreadCpuSplit.Sample s = ThreadCpuSplit.Sample.parse(answer);
      sum = new ThreadCpuSplit.Sample(sum.stream() + s.stream(), sum.tensorflow() + s.tensorflow(), sum.gc() + s.gc(),
          sum.jit() + s.jit(), sum.total() + s.total());
    }
    return sum;
  }

  /**
   * Rows per model call over every worker's calls; the median batch size is the busiest worker's
   * (the one with the most calls), since medians do not add up.
   */
  RunResult.Batches batches() throws IOException, InterruptedException {
    double rows = 0;
    long calls = 0;
    long mostCalls = -1;
    int p50 = 0;
    for (WorkerProcess worker : workers) {
      String answer = worker.ask("batches", 10);
      if (answer == null) {
        return RunResult.Batches.UNKNOWN;
      }
      Map<String, String> f = fields(answer);
      long c = Long.parseLong(f.get("calls"));
      rows += Double.parseDouble(f.get("rows"));
      calls += c;
      if (c > mostCalls) {
        mostCalls = c;
        p50 = Integer.parseInt(f.get("p50"));
      }
    }
    return new RunResult.Batches(calls == 0 ? Double.NaN : rows / calls, p50, Double.NaN);
  }

  /** The model alone, asked of the first worker (every worker loads the same model). */
  String modelAlone(int rows) throws IOException, InterruptedException {
    return workers.get(0).ask("model " + rows + " 2", 60);
  }

  static Map<String, String> fields(String answer) {
    Map<String, String> f = new TreeMap<>();
    for (String pair : answer.trim().split(" ")) {
      String[] kv = pair.split("=", 2);
      f.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return f;
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
  }

  /**
   * {@code total} stream threads shared out over {@code processes}, as evenly as whole threads
   * allow and at least one each: 4 over 3 is 2, 1, 1; 2 over 3 is 1, 1, 1 (three, more than asked).
   */
  static List<Integer> threadsPerProcess(int total, int processes) {
    List<Integer> threads = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      threads.add(Math.max(1, total / processes + (i < total % processes ? 1 : 0)));
    }
    return threads;
  }
}
