package io.streamscore.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts each benchmarked instance in a cgroup of its own with its pod's limits, as a kubelet does:
 * a CFS quota in the cgroup v1 {@code cpu} controller and a limit in the {@code memory} controller
 * (the JVM sizes {@code availableProcessors()} and its heap from them, as it does in a container).
 *
 * <p>Needs the v1 controllers mounted at {@code /sys/fs/cgroup/cpu} and {@code /sys/fs/cgroup/memory}
 * and writable (root on this kind of machine). Where they are not, {@link #unavailable()} says why
 * and instances run without caps. A process joins its cgroup before {@code exec java}, so every
 * thread the JVM starts is inside it.
 */
final class PodCgroups implements AutoCloseable {
  private static final Path CPU = Path.of("/sys/fs/cgroup/cpu");
  private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
  private static final long PERIOD_MICROS = 100_000;

  private final PodLimits limits;
  private final Optional<Path> cpuRoot;
  private final Optional<Path> memoryRoot;
  private final Optional<String> unavailable;
  private final List<Path> created = new ArrayList<>();

  private PodCgroups(PodLimits limits, Optional<Path> cpuRoot, Optional<Path> memoryRoot, Optional<String> unavailable) {
    this.limits = limits;
    this.cpuRoot = cpuRoot;
    this.memoryRoot = memoryRoot;
    this.unavailable = unavailable;
  }

  /** Creates the parent cgroups {@code name} under both controllers, or records why it cannot. */
  static PodCgroups create(String name, PodLimits limits) {
    Path cpu = CPU.resolve(name);
    Path memory = MEMORY.resolve(name);
    try {
      if (!Files.isWritable(CPU.resolve("cgroup.procs")) || !Files.isWritable(MEMORY.resolve("cgroup.procs"))) {
        return new PodCgroups(limits, Optional.empty(), Optional.empty(),
            Optional.of("the cgroup v1 cpu and memory controllers are not writable under /sys/fs/cgroup (not root, or cgroup v2)"));
      }
      Files.createDirectories(cpu);
      Files.createDirectories(memory);
      PodCgroups groups = new PodCgroups(limits, Optional.of(cpu), Optional.of(memory), Optional.empty());
      groups.created.add(cpu);
      groups.created.add(memory);
      return groups;
    } catch (IOException | SecurityException e) {
      return new PodCgroups(limits, Optional.empty(), Optional.empty(), Optional.of("cannot create cgroups under /sys/fs/cgroup: " + e));
    }
  }

  /** Why instances run without caps, when they do. */
  Optional<String> unavailable() {
    return unavailable;
  }

  /** {@code command}, made to run inside the cgroup of {@code pod} with this bench's limits. */
  List<String> wrap(String pod, List<String> command) throws IOException {
    if (cpuRoot.isEmpty()) {
      return command;
    }
    Path cpu = cpuRoot.get().resolve(pod);
    Path memory = memoryRoot.get().resolve(pod);
    Files.createDirectories(cpu);
    Files.createDirectories(memory);
    created.add(0, cpu);
    created.add(0, memory);
    Files.writeString(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
    Files.writeString(cpu.resolve("cpu.cfs_quota_us"), limits.cpus() == 0 ? "-1" : Long.toString(Math.round(limits.cpus() * PERIOD_MICROS)));
    if (limits.memoryBytes() > 0) {
      Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
    }
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
        "echo $$ > '" + cpu.resolve("cgroup.procs") + "' && echo $$ > '" + memory.resolve("cgroup.procs") + "' && exec \"$@\"", pod));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Removes the cgroups; call once every process in them has exited (a cgroup with tasks cannot be removed). */
  @Override
  public void close() {
    for (Path dir : created) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // Left behind (a process still in it); harmless, and named so it can be removed by hand.
        System.err.println("[scale-bench] could not remove " + dir + ": " + e.getMessage());
      }
    }
  }
}
