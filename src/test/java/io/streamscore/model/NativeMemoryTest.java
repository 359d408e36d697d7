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
 * growth and shrinking cannot hide a leak or fake one.
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
    double growth = (after - before) / (double) before;
    System.out.printf("native memory: RSS %d MB before, %d MB after %d records (%+.2f%%)%n", before / 1024, after / 1024, RECORDS,
        100 * growth);
    assertTrue(growth < 0.05, String.format("RSS grew by %.2f%% (%d kB -> %d kB)", 100 * growth, before, after));
  }
}
