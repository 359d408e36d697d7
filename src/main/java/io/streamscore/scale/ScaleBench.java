package io.streamscore.scale;

import io.streamscore.app.StreamScoreCommand;
import io.streamscore.app.TopicAdmin;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.GroupProtocol;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;

/**
 * The scale benchmark: instances as pods on one machine, each a JVM in its own cgroup with its
 * pod's limits, sharing one application id, under paced load, through a scripted sequence of what
 * Kubernetes does to a Deployment: steady, a scale-out, a scale-in, a SIGKILL and the restart, and a
 * rolling restart one pod at a time (maxSurge 1, maxUnavailable 0, as the Deployment's default
 * strategy gives three replicas). A read_committed reader stamps every prediction's arrival; each
 * phase's latency, partition gaps and the pods' rebalance metrics are measured, and over the whole
 * run the inputs lost and scored twice. Run it alone on the machine.
 */
public final class ScaleBench {
  private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(250);
  /**
   * Rendering a pod's Prometheus page costs it CPU: every 250 ms it took 5-9 % of a 0.2-core pod.
   * Every 500 ms is enough for the rebalance metrics and puts a pod's first scored record within
   * half a second.
   */
  private static final int METRICS_EVERY_NTH_SCRAPE = 2;
  private static final Duration DRAIN_BOUND = Duration.ofSeconds(120);

  private final ScaleSettings settings;
  private final String bootstrapServers;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** Every pod started, so that none outlives the benchmark when it is stopped (Ctrl-C, SIGTERM). */
  private final List<Pod> everyPod = new CopyOnWriteArrayList<>();

  public ScaleBench(ScaleSettings settings, String bootstrapServers, PrintStream out) {
    this.settings = settings;
    this.bootstrapServers = bootstrapServers;
    this.out = out;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> everyPod.forEach(p -> p.process.destroyForcibly()), "scale-bench-pods-reaper"));
  }

  /** The outcome of the script under one group protocol. */
  public record ProtocolRun(GroupProtocol protocol, List<ScalePhase> phases, List<ScalePhase.Measured> measured,
      List<PredictionArrivals.Arrival> arrivals, long publishStartMillis, long published, long publishFailures, long lost, long twice,
      long deadLetters, List<String> problems, Optional<String> uncapped) {}

  /** Runs the script under each protocol in turn. */
  public List<ProtocolRun> run() throws Exception {
    List<ProtocolRun> runs = new ArrayList<>();
    for (GroupProtocol protocol : settings.protocols()) {
      runs.add(runOne(protocol));
    }
    return runs;
  }

  private ProtocolRun runOne(GroupProtocol protocol) throws Exception {
    Prepared prepared = prepare(protocol, protocol.configValue());
    Path dir = prepared.dir();
    StreamScoreConfig parsed = prepared.config();
    Path configFile = prepared.configFile();
    List<SourceDefinition> sources = parsed.sources();
    List<String> topics = prepared.topics();
    List<TopicPartition> inputPartitions = prepared.inputPartitions();
    out.printf("%n[scale-bench] group.protocol=%s, application.id %s, %d pods of %s, %d partitions a topic, %.0f records/s, logs in %s%n",
        protocol.configValue(), parsed.applicationId(), settings.pods(), settings.limits(), settings.partitions(), settings.perSecond(), dir);

    List<Pod> pods = new CopyOnWriteArrayList<>();
    List<ScalePhase> phases = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrapServers);
    try (PodCgroups cgroups = PodCgroups.create("streamscore-scale-" + dir.getFileName(), settings.limits())) {
      cgroups.unavailable().ifPresent(why -> out.println("[scale-bench] pods run WITHOUT CPU and memory caps: " + why));
      Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
      GroupOwnership ownership = new GroupOwnership(admin, parsed.applicationId(), protocol);
      Thread scraper = new Thread(() -> scrapeUntilInterrupted(pods, ownership), "scale-bench-scraper");
      scraper.setDaemon(true);
      scraper.start();
      int[] counter = {0};
      PodStarter starter = () -> {
        String name = "pod-" + (++counter[0]);
        Pod pod = startPod(name, configFile, dir, cgroups);
        pods.add(pod);
        return pod;
      };
      warmHarness(protocol, cgroups, client);
      List<Pod> live = new ArrayList<>();
      for (int i = 0; i < settings.pods(); i++) {
        live.add(starter.start());
      }
      for (Pod pod : live) {
        awaitOrNote(pod, p -> p.readyMillis >= 0, "reach RUNNING", problems);
      }
      out.printf("[scale-bench] %d pods RUNNING (%s)%n", live.size(), describeStarts(live));

      PredictionArrivals reader = new PredictionArrivals(client, parsed.outputTopic(), parsed.deadLetterTopic(), inputPartitions);
      reader.start();
      PacedPublisher publisher = new PacedPublisher(client, sources, topics, settings.perSecond(), 20261204L);
      long publishStart = System.currentTimeMillis();
      publisher.start();
      try {
        phases.add(timed("start (pods idle until publishing began)", settings.steady()));
        phases.add(timed(ScaleReport.STEADY, settings.steady()));

        // Scale-out: the new pod's start-up (JVM, model, warm-up) runs beside the others first; the
        // event is its joining the group, and its minute starts there.
        long t = System.currentTimeMillis();
        Pod joining = starter.start();
        awaitOrNote(joining, p -> p.joinedMillis >= 0, "join the group", problems);
        phases.add(new ScalePhase("scale-out: the new pod starting, not yet in the group", t, Math.max(t + 1, joining.joinedMillis),
            List.of(joining), List.of()));
        t = Math.max(t + 1, joining.joinedMillis);
        awaitOrNote(joining, p -> p.firstScoredMillis >= 0 && p.readyMillis >= 0, "score its first record", problems);
        live.add(joining);
        phases.add(eventPhase("scale-out " + settings.pods() + "→" + (settings.pods() + 1) + " (from the join)", t, List.of(joining),
            List.of()));

        t = System.currentTimeMillis();
        Pod leaving = live.remove(live.size() - 1);
        stop(leaving, problems);
        phases.add(eventPhase("scale-in " + (settings.pods() + 1) + "→" + settings.pods() + " (from SIGTERM)", t, List.of(), List.of(leaving)));

        t = System.currentTimeMillis();
        Pod crashed = live.remove(0);
        crashed.kill();
        Pod restarted = starter.start();
        live.add(restarted);
        awaitOrNote(restarted, p -> p.firstScoredMillis >= 0 && p.readyMillis >= 0, "score its first record", problems);
        // No minute here: the kill is judged by how long its tasks wait (a session timeout), which
        // the phase shows whole once the restarted pod scores and the settle time has passed.
        settle();
        phases.add(new ScalePhase("SIGKILL of one pod, and its restart", t, System.currentTimeMillis(), List.of(restarted), List.of(crashed)));
        report(phases.get(phases.size() - 1));

        t = System.currentTimeMillis();
        List<Pod> rolledIn = new ArrayList<>();
        List<Pod> rolledOut = new ArrayList<>();
        for (Pod old : List.copyOf(live)) {
          Pod replacement = starter.start(); // maxSurge 1: the new pod first,
          awaitOrNote(replacement, p -> p.readyMillis >= 0, "reach RUNNING", problems); // then, once it is ready,
          live.remove(old);
          stop(old, problems); // the old one goes (maxUnavailable 0)
          live.add(replacement);
          rolledIn.add(replacement);
          rolledOut.add(old);
        }
        settle();
        phases.add(new ScalePhase("rolling restart of every pod", t, System.currentTimeMillis(), rolledIn, rolledOut));
        report(phases.get(phases.size() - 1));
      } finally {
        publisher.close();
      }
      long deadline = System.nanoTime() + DRAIN_BOUND.toNanos();
      Set<InputId> acknowledged = publisher.acknowledged();
      while (reader.answered() + reader.deadLetters() < acknowledged.size() && System.nanoTime() < deadline) {
        Thread.sleep(200); // polling the reader's progress, not synchronising on time
      }
      reader.close();
      for (Pod pod : live) {
        stop(pod, problems);
      }
      scraper.interrupt();
      scraper.join();
      admin.close();
      for (Pod pod : pods) {
        pod.process.destroyForcibly().waitFor();
      }
      Map<InputId, Integer> answers = reader.answers();
      long lost = acknowledged.stream().filter(id -> !answers.containsKey(id)).count();
      long twice = answers.values().stream().filter(n -> n > 1).count();
      List<PredictionArrivals.Arrival> arrivals = reader.arrivals();
      List<ScalePhase.Measured> measured = phases.stream().map(p -> p.measure(arrivals, inputPartitions, ownership, pods)).toList();
      if (publisher.failed() > 0) {
        problems.add(publisher.failed() + " records could not be published: " + publisher.firstFailure());
      }
      return new ProtocolRun(protocol, phases, measured, arrivals, publishStart, acknowledged.size(), publisher.failed(), lost, twice,
          reader.deadLetters(), problems, cgroups.unavailable());
    }
  }

  /** One run's own application id, topics and configuration file, created. */
  /**
   * A discarded warm-up load before the measured pods start: one pod of its own (its own
   * application id and topics), the paced publisher and the reader, for {@code harnessWarmup}. A
   * real cluster's broker and producers have been running for long; without this, a "cold start"
   * would also measure the broker's and the bench's own clients' first seconds. The pods that are
   * then measured start cold, as new JVMs.
   */
  private void warmHarness(GroupProtocol protocol, PodCgroups cgroups, Properties client) throws Exception {
    if (settings.harnessWarmup().isZero()) {
      Files.deleteIfExists(classArchive()); // no training run: pods start without an archive, not with an old one
      return;
    }
    Prepared warm = prepare(protocol, protocol.configValue() + "-harness-warmup");
    // It also trains the class-data sharing archive the measured pods start with, as the image's build does.
    Files.deleteIfExists(classArchive());
    Pod pod = startPod("harness-warmup-pod", warm.configFile(), warm.dir(), cgroups, List.of("-XX:ArchiveClassesAtExit=" + classArchive()));
    long deadline = System.nanoTime() + settings.podBound().toNanos();
    while (pod.alive() && System.nanoTime() < deadline && !get(pod, "/health/started").map(r -> r.statusCode() == 200).orElse(false)) {
      Thread.sleep(100); // polling its health endpoint, not synchronising on time
    }
    PredictionArrivals reader = new PredictionArrivals(client, warm.config().outputTopic(), warm.config().deadLetterTopic(),
        warm.inputPartitions());
    reader.start();
    PacedPublisher publisher = new PacedPublisher(client, warm.config().sources(), warm.topics(), settings.perSecond(), 1L);
    publisher.start();
    Thread.sleep(settings.harnessWarmup().toMillis()); // the warm-up load's planned length
    publisher.close();
    reader.close();
    pod.terminate(settings.podBound().toSeconds());
    pod.process.destroyForcibly().waitFor();
    out.printf("[scale-bench] harness warm-up done: %d records through a pod of its own in %d s (discarded); class archive %s%n",
        reader.answered(), settings.harnessWarmup().toSeconds(), Files.exists(classArchive()) ? classArchive() : "not written");
  }

  private record Prepared(Path dir, Path configFile, StreamScoreConfig config, List<String> topics, List<TopicPartition> inputPartitions) {}

  private Prepared prepare(GroupProtocol protocol, String label) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dir = settings.output().resolve(label + "-" + run).toAbsolutePath();
    Files.createDirectories(dir);
    Map<String, String> config = podConfig(protocol, run);
    StreamScoreConfig parsed = ConfigLoader.load(Optional.empty(), Map.of(), config);
    Path configFile = dir.resolve("streamscore.properties");
    StringBuilder text = new StringBuilder();
    config.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(configFile, text);
    List<String> topics = parsed.sources().stream().map(s -> s.topics().get(0)).toList();
    createTopics(topics, parsed);
    List<TopicPartition> inputPartitions = new ArrayList<>();
    for (String topic : topics) {
      for (int p = 0; p < settings.partitions(); p++) {
        inputPartitions.add(new TopicPartition(topic, p));
      }
    }
    return new Prepared(dir, configFile, parsed, topics, inputPartitions);
  }

  /**
   * Throughput against pods: for each count, that many pods with the same limits drain the same
   * backlog, published once every pod owns partitions.
   *
   * @param rate records/s from 10 % to 90 % of the backlog's predictions
   * @param podCpuSeconds the pods' CPU over that window, summed
   * @param brokerCpuSeconds the broker's CPU over that window
   */
  public record CapacityRun(int pods, long backlog, double rate, double seconds, double podCpuSeconds, double brokerCpuSeconds, long lost,
      long twice, List<String> problems) {}

  /** Runs the capacity scenario under {@code protocol}; {@code brokerPid} for the broker's CPU share (-1: unknown). */
  public List<CapacityRun> capacity(GroupProtocol protocol, List<Integer> podCounts, long backlog, long brokerPid) throws Exception {
    List<CapacityRun> runs = new ArrayList<>();
    for (int count : podCounts) {
      Prepared prepared = prepare(protocol, "capacity-" + count);
      out.printf("%n[scale-bench] capacity: %d pods of %s drain %d records after %d of warm-up, group.protocol=%s, logs in %s%n", count,
          settings.limits(), backlog, settings.warmupRecordsPerPod() * count, protocol.configValue(), prepared.dir());
      List<Pod> pods = new CopyOnWriteArrayList<>();
      List<String> problems = new ArrayList<>();
      Properties client = new Properties();
      client.put("bootstrap.servers", bootstrapServers);
      try (PodCgroups cgroups = PodCgroups.create("streamscore-capacity-" + prepared.dir().getFileName(), settings.limits());
          Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
        GroupOwnership ownership = new GroupOwnership(admin, prepared.config().applicationId(), protocol);
        Thread scraper = new Thread(() -> scrapeUntilInterrupted(pods, ownership), "scale-bench-scraper");
        scraper.setDaemon(true);
        scraper.start();
        for (int i = 1; i <= count; i++) {
          pods.add(startPod("pod-" + i, prepared.configFile(), prepared.dir(), cgroups));
        }
        for (Pod pod : pods) {
          awaitOrNote(pod, p -> p.readyMillis >= 0, "reach RUNNING", problems);
        }
        long deadline = System.nanoTime() + settings.podBound().toNanos();
        while (!spread(ownership.latest(), prepared.inputPartitions(), count) && System.nanoTime() < deadline) {
          Thread.sleep(100); // polling the group's description, not synchronising on time
        }
        PredictionArrivals reader = new PredictionArrivals(client, prepared.config().outputTopic(), prepared.config().deadLetterTopic(),
            prepared.inputPartitions());
        reader.start();
        PacedPublisher publisher = new PacedPublisher(client, prepared.config().sources(), prepared.topics(), 1, 20261204L);
        // Each pod's JIT compiles its hot paths on a discarded warm-up backlog first, inside its CPU
        // quota: otherwise the more pods share the measured backlog, the larger the share of it
        // each scores before its code is compiled, and the comparison measures cold JVMs.
        long warmup = settings.warmupRecordsPerPod() * count;
        publisher.backlog(warmup);
        deadline = System.nanoTime() + settings.podBound().toNanos() * 5;
        while (reader.answered() + reader.deadLetters() < publisher.acknowledged().size() && System.nanoTime() < deadline) {
          Thread.sleep(50); // polling the reader's progress
        }
        long base = reader.answered();
        publisher.backlog(backlog);
        long tenth = backlog / 10;
        long[] at = {-1, -1};
        double[] podCpu = {0, 0};
        double[] brokerCpu = {0, 0};
        deadline = System.nanoTime() + settings.podBound().toNanos() * 5;
        while (true) {
          boolean done = reader.answered() + reader.deadLetters() >= publisher.acknowledged().size();
          long answered = reader.answered() - base;
          if (at[0] < 0 && answered >= tenth) {
            at[0] = System.nanoTime();
            podCpu[0] = pods.stream().mapToDouble(p -> io.streamscore.bench.MachineLoad.processCpuSeconds(p.process.pid())).sum();
            brokerCpu[0] = brokerPid < 0 ? Double.NaN : io.streamscore.bench.MachineLoad.processCpuSeconds(brokerPid);
          }
          if (at[1] < 0 && answered >= backlog - tenth) {
            at[1] = System.nanoTime();
            podCpu[1] = pods.stream().mapToDouble(p -> io.streamscore.bench.MachineLoad.processCpuSeconds(p.process.pid())).sum();
            brokerCpu[1] = brokerPid < 0 ? Double.NaN : io.streamscore.bench.MachineLoad.processCpuSeconds(brokerPid);
          }
          if (done || System.nanoTime() > deadline) {
            break;
          }
          Thread.sleep(20); // polling the reader's progress
        }
        if (at[1] < 0) {
          problems.add("the backlog was not drained within " + settings.podBound().toSeconds() * 5 + " s: " + (reader.answered() - base)
              + " of " + backlog + " answered");
        }
        reader.close();
        for (Pod pod : pods) {
          stop(pod, problems);
        }
        scraper.interrupt();
        scraper.join();
        Map<InputId, Integer> answers = reader.answers();
        long lost = publisher.acknowledged().stream().filter(id -> !answers.containsKey(id)).count();
        long twice = answers.values().stream().filter(n -> n > 1).count();
        double seconds = at[0] < 0 || at[1] < 0 ? Double.NaN : (at[1] - at[0]) / 1e9;
        CapacityRun result = new CapacityRun(count, backlog, (backlog - 2 * tenth) / seconds, seconds, podCpu[1] - podCpu[0],
            brokerCpu[1] - brokerCpu[0], lost, twice, problems);
        out.printf("[scale-bench] capacity: %d pods: %.0f records/s (%.1f s for the middle 80 %%), pods' CPU %.1f s, broker's %.1f s, lost %d,"
            + " twice %d%n", count, result.rate(), seconds, result.podCpuSeconds(), result.brokerCpuSeconds(), lost, twice);
        runs.add(result);
      }
    }
    return runs;
  }

  /** Every input partition has an owner, and there are {@code owners} of them. */
  private static boolean spread(Map<TopicPartition, String> latest, List<TopicPartition> partitions, int owners) {
    return latest.keySet().containsAll(partitions) && new java.util.HashSet<>(latest.values()).size() == owners;
  }

  @FunctionalInterface
  private interface PodStarter {
    Pod start() throws IOException;
  }

  private Map<String, String> podConfig(GroupProtocol protocol, String run) {
    Map<String, String> config = new LinkedHashMap<>(ConfigLoader.read(Optional.empty()));
    config.put("bootstrap.servers", bootstrapServers);
    config.put("application.id", "scale-" + protocol.configValue() + "-" + run);
    config.put("output.topic", "scale-scores-" + run);
    config.put("dead.letter.topic", "scale-dlq-" + run);
    config.put("source.terminal.topics", "scale-terminal-" + run);
    config.put("source.web.topics", "scale-web-" + run);
    config.put("source.mobile.topics", "scale-mobile-" + run);
    config.put("topics.create", "false");
    config.put("num.stream.threads", "1");
    config.put("processing.guarantee", settings.guarantee());
    config.put("group.protocol", protocol.configValue());
    config.put("model.path", settings.model().toString());
    config.put("http.host", "127.0.0.1");
    config.putAll(settings.overrides());
    return config;
  }

  private void createTopics(List<String> inputTopics, StreamScoreConfig config) throws Exception {
    List<String> all = new ArrayList<>(inputTopics);
    all.add(config.outputTopic());
    all.add(config.deadLetterTopic());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(all.stream().map(t -> new NewTopic(t, settings.partitions(), (short) 1)).toList()).all().get();
      TopicAdmin.awaitLeaders(admin, all);
    }
  }

  private Pod startPod(String name, Path configFile, Path dir, PodCgroups cgroups) throws IOException {
    return startPod(name, configFile, dir, cgroups, List.of());
  }

  /**
   * The class-data sharing archive the harness warm-up pod writes as it exits, and every measured
   * pod then maps, as the image's does (Dockerfile: an archive trained on a start-up at build time).
   */
  private Path classArchive() {
    return settings.output().resolve("streamscore.jsa").toAbsolutePath();
  }

  private Pod startPod(String name, Path configFile, Path dir, PodCgroups cgroups, List<String> extraFlags) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // The image's JVM flags (Dockerfile): heap from the memory limit, exit on OOM.
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError"));
    if (extraFlags.isEmpty() && Files.exists(classArchive())) {
      command.add("-XX:SharedArchiveFile=" + classArchive());
    }
    command.addAll(extraFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), StreamScoreCommand.class.getName(), "run", "-c",
        configFile.toString()));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(cgroups.wrap(name, command)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put(StreamScoreConfig.environmentVariableFor(StreamScoreConfig.HTTP_PORT_CONFIG), Integer.toString(port));
    long started = System.currentTimeMillis();
    Pod pod = new Pod(name, builder.start(), log, port, started);
    everyPod.add(pod);
    out.printf("[scale-bench] +%s started (port %d)%n", name, port);
    return pod;
  }

  /**
   * Every {@link #SCRAPE_INTERVAL}: the group's ownership, and each live pod's log and
   * /health/started; every {@link #METRICS_EVERY_NTH_SCRAPE}th time its /metrics.
   */
  private void scrapeUntilInterrupted(List<Pod> pods, GroupOwnership ownership) {
    try {
      for (long round = 0; !Thread.currentThread().isInterrupted(); round++) {
        ownership.sample();
        for (Pod pod : pods) {
          if (!pod.alive()) {
            if (pod.exitedMillis < 0) {
              pod.exitedMillis = System.currentTimeMillis();
            }
            continue;
          }
          pod.scanForJoin();
          if (pod.readyMillis < 0 && get(pod, "/health/started").map(r -> r.statusCode() == 200).orElse(false)) {
            pod.readyMillis = System.currentTimeMillis();
          }
          if (round % METRICS_EVERY_NTH_SCRAPE != 0) {
            continue;
          }
          Optional<HttpResponse<String>> page = get(pod, "/metrics");
          if (page.isPresent() && page.get().statusCode() == 200) {
            long at = System.currentTimeMillis();
            Map<String, Double> values = PodMetrics.parse(page.get().body());
            pod.scrapes.put(at, values);
            if (pod.firstScoredMillis < 0 && values.getOrDefault(PodMetrics.SCORED, 0.0) > 0) {
              pod.firstScoredMillis = at;
            }
          }
        }
        Thread.sleep(SCRAPE_INTERVAL.toMillis()); // the scrape interval, as Prometheus has one
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<HttpResponse<String>> get(Pod pod, String path) throws InterruptedException {
    try {
      return Optional.of(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.httpPort + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty(); // not listening yet, or gone
    }
  }

  private void awaitOrNote(Pod pod, Predicate<Pod> condition, String what, List<String> problems) throws InterruptedException {
    long deadline = System.nanoTime() + settings.podBound().toNanos();
    while (!condition.test(pod)) {
      if (!pod.alive()) {
        problems.add(pod.name + " exited (" + pod.exitCode() + ") before it could " + what + "; log " + pod.log);
        return;
      }
      if (System.nanoTime() > deadline) {
        problems.add(pod.name + " did not " + what + " within " + settings.podBound().toSeconds() + " s; log " + pod.log);
        return;
      }
      Thread.sleep(50); // polling what the scraper saw, not synchronising on time
    }
  }

  private void stop(Pod pod, List<String> problems) throws InterruptedException {
    if (!pod.terminate(settings.podBound().toSeconds())) {
      problems.add(pod.name + " did not exit within " + settings.podBound().toSeconds() + " s of SIGTERM; log " + pod.log);
      pod.kill();
    } else if (pod.exitCode() != 0) {
      problems.add(pod.name + " exited " + pod.exitCode() + " on SIGTERM; log " + pod.log);
    }
    out.printf("[scale-bench] -%s stopped in %d ms (exit %d)%n", pod.name, pod.exitedMillis - pod.stopRequestedMillis, pod.exitCode());
  }

  private ScalePhase timed(String name, Duration length) throws InterruptedException {
    long start = System.currentTimeMillis();
    Thread.sleep(length.toMillis()); // the phase's length: the load runs through it
    ScalePhase phase = new ScalePhase(name, start, System.currentTimeMillis(), List.of(), List.of());
    report(phase);
    return phase;
  }

  /**
   * A phase from an event at {@code start}: it lasts until the event is done plus the settle time,
   * and at least {@link ScaleSettings#eventWindow()} (the event's minute).
   */
  private ScalePhase eventPhase(String name, long start, List<Pod> started, List<Pod> stopped) throws InterruptedException {
    settle();
    long end = Math.max(System.currentTimeMillis(), start + settings.eventWindow().toMillis());
    long wait = end - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait); // the rest of the event's window: the load runs through it
    }
    ScalePhase phase = new ScalePhase(name, start, end, started, stopped);
    report(phase);
    return phase;
  }

  private void settle() throws InterruptedException {
    Thread.sleep(settings.settle().toMillis()); // the phase goes on after its event, to see the output recover
  }

  private void report(ScalePhase phase) {
    out.printf("[scale-bench] phase done: %s (%.0f s)%n", phase.name(), (phase.endMillis() - phase.startMillis()) / 1000.0);
  }

  private static String describeStarts(List<Pod> pods) {
    Map<String, Long> took = new HashMap<>();
    pods.forEach(p -> took.put(p.name, p.readyMillis < 0 ? -1 : p.readyMillis - p.startedMillis));
    return "start to RUNNING " + took;
  }
}
