package io.streamscore.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Where this process's CPU time went, by kind of thread: Kafka Streams' stream threads,
 * TensorFlow's own threads, the garbage collector, the JIT compilers, and the rest (Kafka's client
 * threads, the JVM's other threads, threads that have exited). Linux only.
 *
 * <p>Every thread's CPU time comes from {@code /proc/self/task/<tid>/stat}. Its kind comes from the
 * JVM's own thread dump (the {@code threadPrint} diagnostic command), which names every thread the
 * JVM knows, Java's and its own (GC, compilers), with its native id. A thread the JVM does not know
 * was started by native code: in a StreamScore worker, TensorFlow's inter- and intra-op pools
 * (whose threads carry the name of the thread that created them, so names alone cannot tell).
 * JFR cannot make this split: it samples Java threads only.
 *
 * <p>Thread-safe: {@link #sample()} is synchronized.
 */
public final class ThreadCpuSplit {
  /** Clock ticks per second of {@code /proc/.../stat}; 100 on every Linux this runs on. */
  private static final double CLOCK_TICKS = 100.0;
  /** At most this often a thread dump, and only when a thread of unknown kind has appeared. */
  private static final long DUMP_INTERVAL_NANOS = 200_000_000L;
  private static final Pattern DUMP_LINE = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-f]+|\\d+)", Pattern.MULTILINE);

  /** One sample, in CPU seconds since the process started. */
  public record Sample(double stream, double tensorflow, double gc, double jit, double total) {
    public double rest() {
      return total - stream - tensorflow - gc - jit;
    }

    public Sample minus(Sample earlier) {
      return new Sample(stream - earlier.stream, tensorflow - earlier.tensorflow, gc - earlier.gc, jit - earlier.jit,
          total - earlier.total);
    }

    /** The protocol form, {@code stream=S tensorflow=T gc=G jit=J total=A}. */
    public String format() {
      return String.format(java.util.Locale.ROOT, "stream=%.2f tensorflow=%.2f gc=%.2f jit=%.2f total=%.2f", stream, tensorflow, gc, jit, total);
    }

    public static Sample parse(String text) {
      Map<String, Double> values = new HashMap<>();
      for (String pair : text.trim().split(" ")) {
        String[] kv = pair.split("=", 2);
        values.put(kv[0], Double.parseDouble(kv[1]));
      }
      return new Sample(values.get("stream"), values.get("tensorflow"), values.get("gc"), values.get("jit"), values.get("total"));
    }
  }

  enum Kind { STREAM, TENSORFLOW, GC, JIT, OTHER }

  private final Map<Long, Kind> kinds = new HashMap<>();
  private final Map<Long, Long> lastTicks = new HashMap<>();
  private long lastDump = System.nanoTime() - DUMP_INTERVAL_NANOS;
  private double unseen;

  /** This process's CPU so far, split by kind of thread; threads that have exited keep their share. */
  public synchronized Sample sample() {
    Map<Long, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(task -> {
        long tid = Long.parseLong(task.getFileName().toString());
        long t = ticks(task.resolve("stat"));
        if (t >= 0) {
          ticks.put(tid, t);
        }
      });
    } catch (IOException e) {
      return new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    if (!kinds.keySet().containsAll(ticks.keySet()) && System.nanoTime() - lastDump >= DUMP_INTERVAL_NANOS) {
      lastDump = System.nanoTime();
      Map<Long, String> names = jvmThreads();
      for (Long tid : ticks.keySet()) {
        if (!kinds.containsKey(tid)) {
          kinds.put(tid, kindOf(names.get(tid)));
        }
      }
    }
    lastTicks.putAll(ticks);
    double[] byKind = new double[Kind.values().length];
    lastTicks.forEach((tid, t) -> byKind[kinds.getOrDefault(tid, Kind.OTHER).ordinal()] += t / CLOCK_TICKS);
    // The process's own figure also holds threads that exited unseen. Each thread's ticks are
    // rounded on their own, so their sum can exceed it by a few ticks: the total is the threads'
    // sum plus what the process counted beyond it, and that excess never shrinks, so a later
    // sample's total minus an earlier one's is never less than its parts' differences.
    double seen = java.util.Arrays.stream(byKind).sum();
    unseen = Math.max(unseen, ticks(Path.of("/proc/self/stat")) / CLOCK_TICKS - seen);
    double total = seen + unseen;
    return new Sample(byKind[Kind.STREAM.ordinal()], byKind[Kind.TENSORFLOW.ordinal()], byKind[Kind.GC.ordinal()],
        byKind[Kind.JIT.ordinal()], total);
  }

  /** A thread's kind from the name the JVM gives it; a thread the JVM does not know is native. */
  static Kind kindOf(String jvmName) {
    if (jvmName == null) {
      return Kind.TENSORFLOW;
    }
    if (jvmName.contains("-StreamThread-")) {
      return Kind.STREAM;
    }
    if (jvmName.startsWith("GC Thread") || jvmName.startsWith("G1 ") || jvmName.startsWith("GC ")) {
      return Kind.GC;
    }
    if (jvmName.startsWith("C1 CompilerThread") || jvmName.startsWith("C2 CompilerThread") || jvmName.equals("Sweeper thread")) {
      return Kind.JIT;
    }
    return Kind.OTHER;
  }

  /** Native id to name of every thread the JVM knows, from its own thread dump. */
  static Map<Long, String> jvmThreads() {
    Map<Long, String> names = new HashMap<>();
    try {
      Object dump = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "threadPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()});
      Matcher m = DUMP_LINE.matcher(dump.toString());
      while (m.find()) {
        String nid = m.group(2);
        names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
      }
    } catch (Exception e) {
      // No diagnostic command: every thread counts as native, which the report would show at once.
    }
    return names;
  }

  /** utime + stime of a {@code stat} file, in clock ticks; -1 when the thread is gone. */
  private static long ticks(Path stat) {
    try {
      String text = Files.readString(stat);
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
