package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.NativeMemoryProbe;
import io.streamscore.support.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * TensorFlow's memory is native, not the garbage collector's: a Tensor or Result left open leaks
 * for good. Scoring ten million records after warm-up must leave the process's RSS within 5% of
 * where it was. Measured in a child JVM whose heap is fixed and pre-touched, so the heap's own
 * growth and shrinking cannot hide a leak or fake one, and with StreamScore's JavaCPP settings,
 * which leave nothing to the garbage collector: every native allocation must be freed explicitly.
 */
class NativeMemoryTest {
  private static final long RECORDS = 10_000_000;

  @Test
  @EnabledOnOs(OS.LINUX)
  void shouldKeepResidentMemoryFlatOverTenMillionScoredRecords() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
        NativeMemoryProbe.class.getName(), Long.toString(RECORDS), "500", TestModels.demoModel().toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), out);
    String[] probe = out.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElseThrow().split(" ");
    long before = Long.parseLong(probe[1]);
    long after = Long.parseLong(probe[2]);
    assertEquals(RECORDS, Long.parseLong(probe[3]));
    assertEquals(0, Long.parseLong(probe[4]), "JavaCPP tracks no allocation for the garbage collector (JavaCppSettings)");
    double growth = (after - before) / (double) before;
    System.out.printf("native memory: RSS %d MB before, %d MB after %d records (%+.2f%%)%n", before / 1024, after / 1024, RECORDS,
        100 * growth);
    assertTrue(growth < 0.05, String.format("RSS grew by %.2f%% (%d kB -> %d kB)", 100 * growth, before, after));
  }

  /**
   * The contract {@code JavaCppSettings} rests on: JavaCPP's default registers native allocations
   * with its garbage-collector safety net (the loaded model's among them), and its setting turns
   * that off. When JavaCPP changes either, this fails.
   */
  @Test
  @EnabledOnOs(OS.LINUX)
  void shouldTrackNativeAllocationsForTheGarbageCollectorOnlyWithoutStreamScoresJavaCppSettings() throws Exception {
    for (boolean defaults : new boolean[] {true, false}) {
      List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName(), "1000", "50",
          TestModels.demoModel().toString()));
      if (defaults) {
        command.add("--javacpp-defaults");
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      assertEquals(0, process.waitFor(), out);
      long tracked = Long.parseLong(out.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElseThrow().split(" ")[4]);
      assertEquals(defaults, tracked > 0, (defaults ? "JavaCPP's default" : "StreamScore's settings") + ": " + tracked + " tracked");
    }
  }
}
