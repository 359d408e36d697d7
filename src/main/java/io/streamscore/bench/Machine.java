package io.streamscore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, in one line: cores, memory, CPU model, OS and Java. */
public record Machine(int cores, long memoryMb, String cpu, String os, String java) {

  public static Machine describe() {
    return new Machine(Runtime.getRuntime().availableProcessors(), totalMemoryMb(), cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
  }

  private static long totalMemoryMb() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GB memory, %s, %s", cores, cpu, memoryMb / 1024.0, os, java);
  }
}
