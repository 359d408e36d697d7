package io.streamscore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's load, for telling a benchmark run that had the cores to itself from one
 * that shared them: the one-minute load average, and the CPU time every process has used (Linux,
 * {@code /proc}). Stateless.
 */
public final class MachineLoad {
  /** Clock ticks per second of {@code /proc/stat}; 100 on every Linux this runs on. */
  private static final double CLOCK_TICKS = 100.0;

  private MachineLoad() {}

  /** The one-minute load average; NaN where unknown. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds all processes have used since boot (user, nice, system, irq, softirq, steal); NaN where unknown. */
  static double busySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds this process has used. */
  /** CPU seconds (user and system) process {@code pid} has used, from /proc; NaN where it cannot be read. */
  public static double processCpuSeconds(long pid) {
    return WorkerProcess.cpuSeconds(pid);
  }

  static double ownSeconds() {
    return WorkerProcess.cpuSeconds(ProcessHandle.current().pid());
  }
}
