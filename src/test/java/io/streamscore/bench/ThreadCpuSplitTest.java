package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadCpuSplitTest {

  @Test
  void shouldCountAStreamThreadsCpuAsStreamAndKeepItAfterTheThreadEnds() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    ThreadCpuSplit split = new ThreadCpuSplit();
    ThreadCpuSplit.Sample before = split.sample();
    Thread worker = new Thread(() -> {
      // Busy until this thread has used 300 ms of CPU, by its own clock.
      var threads = ManagementFactory.getThreadMXBean();
      long start = threads.getCurrentThreadCpuTime();
      long x = 0;
      while (threads.getCurrentThreadCpuTime() - start < 300_000_000L) {
        x += System.nanoTime() % 7;
      }
      if (x == 42) {
        System.out.println();
      }
    }, "bench-app-0f0e-StreamThread-1");
    worker.start();
    // Seen while it runs (so its kind is known; its last 20 ms may be missed), then after it has ended.
    while (worker.isAlive()) {
      split.sample();
      worker.join(20);
    }
    ThreadCpuSplit.Sample delta = split.sample().minus(before);
    assertTrue(delta.stream() >= 0.2, "stream threads' CPU: " + delta.format());
    assertTrue(delta.total() >= delta.stream(), delta.format());
  }

  @Test
  void shouldTellThreadKindsFromTheNamesTheJvmGivesThem() {
    assertEquals(ThreadCpuSplit.Kind.STREAM, ThreadCpuSplit.kindOf("streamscore-1b2c-StreamThread-3"));
    assertEquals(ThreadCpuSplit.Kind.GC, ThreadCpuSplit.kindOf("GC Thread#1"));
    assertEquals(ThreadCpuSplit.Kind.GC, ThreadCpuSplit.kindOf("G1 Conc#0"));
    assertEquals(ThreadCpuSplit.Kind.JIT, ThreadCpuSplit.kindOf("C2 CompilerThread0"));
    assertEquals(ThreadCpuSplit.Kind.OTHER, ThreadCpuSplit.kindOf("kafka-producer-network-thread | x"));
    assertEquals(ThreadCpuSplit.Kind.TENSORFLOW, ThreadCpuSplit.kindOf(null), "a thread the JVM does not know was started by native code");
  }

  @Test
  void shouldKnowEveryJavaThreadFromTheJvmsOwnDump() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    var names = ThreadCpuSplit.jvmThreads();
    assertTrue(names.containsValue(Thread.currentThread().getName()), names.toString());
    assertTrue(names.values().stream().anyMatch(n -> n.startsWith("C2 CompilerThread") || n.startsWith("C1 CompilerThread")), names.toString());
  }
}
