package io.streamscore.soak;

import io.streamscore.support.StreamScoreProcesses;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The StreamScore instances of one soak, each in its own JVM with one shared configuration file
 * (so one application id), and what their logs say: running or not, which model version each
 * serves, which versions each refused. Starting, killing and stopping are what a cluster does to
 * pods; {@link #watch} reads new log lines and is called periodically by one thread.
 *
 * <p>Starts hold {@link #startGate()}'s read lock until the new instance has loaded its model, so a
 * fault that places a version that cannot be loaded (write lock) never meets a start-up.
 * Thread-safe.
 */
final class Instances implements AutoCloseable {
  /** Kafka Streams' task lifecycle in each instance's log as well: what a lost or doubled input is traced with. */
  private static final List<String> LOGGING = List.of("-Dlogback.configurationFile=" + loggingConfig());

  private static String loggingConfig() {
    try {
      return Path.of(Instances.class.getResource("/logback-soak-instance.xml").toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern LOADED = Pattern.compile("Model \\S+ version (\\d+) from ");
  private static final Pattern SWAPPED = Pattern.compile("Model \\S+: now serving version (\\d+) ");
  private static final Pattern REFUSED = Pattern.compile("Model \\S+: refused version (\\d+) ");
  private static final Duration START_BOUND = Duration.ofMinutes(3);
  static final Duration STOP_BOUND = Duration.ofSeconds(90);
  private static final Duration RESTART_BOUND = Duration.ofMinutes(10);

  private final Path config;
  private final Path logs;
  private final List<Instance> all = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final ReadWriteLock startGate = new ReentrantReadWriteLock(true);
  private int started;

  /** One JVM and what its log said so far. */
  static final class Instance {
    final String name;
    final Process process;
    final Path log;
    final long startedMillis;
    private long position;
    private final StringBuilder partial = new StringBuilder();
    volatile boolean running;
    volatile long version = -1;
    final Set<Long> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set by the soak before it kills or stops this instance on purpose. */
    volatile boolean endedOnPurpose;
    /** Taken by one fault, so that two faults at once act on two different instances. */
    volatile boolean claimed;
    volatile boolean exitSeen;
    /** While {@link #start} waits for it: an exit then is start()'s to answer, not a problem. */
    volatile boolean starting = true;

    Instance(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
      this.startedMillis = System.currentTimeMillis();
    }

    synchronized void scan() {
      try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
        long length = file.length();
        if (length <= position) {
          return;
        }
        byte[] bytes = new byte[(int) Math.min(length - position, 4 << 20)];
        file.seek(position);
        file.readFully(bytes);
        position += bytes.length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
          line(partial.substring(0, newline));
          partial.delete(0, newline + 1);
        }
      } catch (IOException e) {
        // not written yet
      }
    }

    private void line(String line) {
      if (line.contains("StreamScore started:")) {
        running = true;
      }
      Matcher m = LOADED.matcher(line);
      if (m.find()) {
        version = Long.parseLong(m.group(1));
      }
      m = SWAPPED.matcher(line);
      if (m.find()) {
        version = Long.parseLong(m.group(1));
      }
      m = REFUSED.matcher(line);
      if (m.find()) {
        refused.add(Long.parseLong(m.group(1)));
      }
    }

    boolean alive() {
      return process.isAlive();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  Instances(Path config, Path logs) {
    this.config = config;
    this.logs = logs;
  }

  ReadWriteLock startGate() {
    return startGate;
  }

  /**
   * Starts an instance and waits until it is running. One that exits during start-up (as StreamScore
   * does when the broker does not answer within 30 s) is noted and answered by another start, as a
   * cluster's restart policy would, until {@link #RESTART_BOUND}. Empty when none came up by then.
   */
  Optional<Instance> start() throws IOException, InterruptedException {
    long giveUp = System.nanoTime() + RESTART_BOUND.toNanos();
    while (System.nanoTime() < giveUp) {
      Instance instance;
      startGate.readLock().lock();
      try {
        String name;
        synchronized (this) {
          name = "i" + (++started);
        }
        instance = new Instance(name, StreamScoreProcesses.start(config, logs.resolve(name + ".log"), LOGGING), logs.resolve(name + ".log"));
        all.add(instance);
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (instance.version < 0 && instance.alive() && System.nanoTime() < deadline) {
          instance.scan();
          instance.process.waitFor(100, TimeUnit.MILLISECONDS);
        }
      } finally {
        startGate.readLock().unlock();
      }
      long deadline = System.nanoTime() + START_BOUND.toNanos();
      while (!instance.running && instance.alive() && System.nanoTime() < deadline) {
        instance.scan();
        instance.process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      if (instance.running) {
        instance.starting = false;
        return Optional.of(instance);
      }
      instance.endedOnPurpose = true;
      instance.starting = false;
      if (instance.alive()) {
        notes.add(instance.name + " was not running " + START_BOUND.toSeconds() + " s after its start; killed and replaced");
        instance.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } else {
        notes.add(instance.name + " exited with code " + instance.process.exitValue() + " during start-up (log " + instance.log
            + "); replaced");
      }
    }
    problems.add("no instance could be started within " + RESTART_BOUND.toMinutes() + " min");
    return Optional.empty();
  }

  /** The instances running now, oldest first. */
  List<Instance> running() {
    return all.stream().filter(i -> i.alive() && i.running && !i.endedOnPurpose).toList();
  }

  /** The instances whose process is alive, running or still starting. */
  List<Instance> alive() {
    return all.stream().filter(Instance::alive).toList();
  }

  /**
   * Claims {@code count} running instances for one fault, chosen by {@code pick} among the running
   * unclaimed ones (oldest first, modulo their number), as long as one running instance stays
   * unclaimed; fewer (or none) when there are not that many.
   */
  synchronized List<Instance> claim(int pick, int count) {
    List<Instance> free = running().stream().filter(i -> !i.claimed).toList();
    List<Instance> claimed = new ArrayList<>();
    for (int n = 0; n < count && free.size() - claimed.size() > 1; n++) {
      List<Instance> left = free.stream().filter(i -> !claimed.contains(i)).toList();
      Instance chosen = left.get((pick + n) % left.size());
      chosen.claimed = true;
      claimed.add(chosen);
    }
    return claimed;
  }

  /** SIGKILL: no drain, no commit, no leaving the group. */
  void kill(Instance instance) throws InterruptedException {
    instance.endedOnPurpose = true;
    instance.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Starts an instance without waiting for it to run, for a fault that stops it during start-up.
   * It is never one of the {@link #running} instances. Call under the {@link #startGate}'s read lock.
   */
  Instance launch() throws IOException {
    String name;
    synchronized (this) {
      name = "i" + (++started);
    }
    Instance instance = new Instance(name, StreamScoreProcesses.start(config, logs.resolve(name + ".log"), LOGGING), logs.resolve(name + ".log"));
    instance.endedOnPurpose = true;
    all.add(instance);
    return instance;
  }

  /** SIGTERM, then waits for the exit; a code other than 0, or no exit within the bound, is a problem. */
  int stop(Instance instance, String why) throws InterruptedException {
    instance.endedOnPurpose = true;
    instance.process.destroy();
    if (!instance.process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
      problems.add(instance.name + " did not exit within " + STOP_BOUND.toSeconds() + " s of SIGTERM (" + why + "); log " + instance.log);
      instance.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    int code = instance.process.exitValue();
    if (code != 0) {
      problems.add(instance.name + " exited with code " + code + " on SIGTERM (" + why + "); log " + instance.log);
    }
    return code;
  }

  /** Reads new log lines and notices instances that died without being told to; returns each alive instance's version. */
  Map<Instance, Long> watch() {
    Map<Instance, Long> versions = new HashMap<>();
    for (Instance instance : all) {
      if (instance.exitSeen) {
        continue;
      }
      instance.scan();
      if (!instance.alive()) {
        instance.exitSeen = true;
        if (!instance.endedOnPurpose && !instance.starting) {
          problems.add(instance.name + " exited by itself with code " + instance.process.exitValue() + "; log " + instance.log);
        }
        continue;
      }
      if (instance.version >= 0) {
        versions.put(instance, instance.version);
      }
    }
    return versions;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  List<Instance> all() {
    return new ArrayList<>(all);
  }

  @Override
  public void close() {
    for (Instance instance : all) {
      instance.endedOnPurpose = true;
      instance.process.destroyForcibly();
    }
  }
}
