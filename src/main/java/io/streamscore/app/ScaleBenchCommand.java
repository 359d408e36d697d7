package io.streamscore.app;

import io.streamscore.bench.Machine;
import io.streamscore.bench.MachineLoad;
import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.GroupProtocol;
import io.streamscore.scale.PodLimits;
import io.streamscore.scale.ScaleBench;
import io.streamscore.scale.ScaleReport;
import io.streamscore.scale.ScaleSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The scale benchmark of docs/performance.md: what pods that come and go do to the output. */
@Command(name = "scale-bench", mixinStandardHelpOptions = true,
    description = {"Measures what scaling out and in, a crash and a rolling restart do to the output a team reads.",
        "Starts an embedded broker, then for each group protocol: --pods StreamScore instances of 1 stream thread, each a JVM in",
        "its own cgroup with the pod's CPU quota and memory limit (the cgroup v1 controllers, as root; without them it says so and",
        "runs uncapped), sharing one application id over the three demo sources; publishes at --rate; a read_committed reader",
        "stamps every prediction's arrival. Script: start, steady, scale-out (one more pod), scale-in (SIGTERM to it), SIGKILL",
        "of one pod and its restart, a rolling restart of every pod (new one ready, then the old one stopped). Per phase: end-to-end",
        "p50/p99/max, the longest time any input partition went without a prediction, partitions without one for over 1 s, the",
        "pods' rebalance metrics, a new pod's start to RUNNING and to its first scored record. Over the run: lost and twice.",
        "Writes scale-results.md, scale-timeline.csv and scale-timeline.png into --output. Exit code 1 when an input was lost",
        "or scored twice or a pod misbehaved. Run it alone on the machine.",
        "Example: streamscore scale-bench",
        "Example: streamscore scale-bench --protocols streams --rate 1200 --pod-cpu 0.4"})
final class ScaleBenchCommand implements Callable<Integer> {
  @Option(names = "--protocols", split = ",", defaultValue = "classic,streams",
      description = "Group protocols, one run each (default: ${DEFAULT-VALUE}).")
  List<String> protocols;

  @Option(names = "--rate", defaultValue = "600", description = "Records/s over all sources (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--pods", defaultValue = "3", description = "Pods before the scale-out (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--partitions", defaultValue = "8", description = "Partitions per input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--pod-cpu", defaultValue = "0.5",
      description = "CPU limit of each pod in cores, a CFS quota (default: ${DEFAULT-VALUE}; 0: none).")
  double podCpu;

  @Option(names = "--pod-memory-mb", defaultValue = "2048",
      description = "Memory limit of each pod, as deploy/base/deployment.yaml sets it (default: ${DEFAULT-VALUE}).")
  long podMemoryMb;

  @Option(names = "--steady-seconds", defaultValue = "20", description = "Length of the start and the steady phase (default: ${DEFAULT-VALUE}).")
  long steadySeconds;

  @Option(names = "--settle-seconds", defaultValue = "20",
      description = "How long each phase goes on after its event is done (default: ${DEFAULT-VALUE}).")
  long settleSeconds;

  @Option(names = "--event-seconds", defaultValue = "60",
      description = "Shortest phase after a scale-out or scale-in: the window its p99 is judged over (default: ${DEFAULT-VALUE}).")
  long eventSeconds;

  @Option(names = "--pod-bound-seconds", defaultValue = "120",
      description = "Longest wait for a new pod to score, or an old one to exit (default: ${DEFAULT-VALUE}).")
  long podBoundSeconds;

  @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2, description = "processing.guarantee (default: ${DEFAULT-VALUE}).")
  String guarantee;

  @Option(names = "--model", defaultValue = "models/fraud", description = "Model base directory (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--output", defaultValue = "target/scale-bench", description = "Directory for results and pod logs (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--capacity", split = ",", paramLabel = "PODS",
      description = "Instead of the script: for each of these pod counts (e.g. 1,2,3), that many pods with the same limits drain one"
          + " backlog under the first of --protocols; records/s against linear, and the pods' and the broker's CPU per record.")
  List<Integer> capacity;

  @Option(names = "--backlog", defaultValue = "150000", description = "Records each --capacity run drains (default: ${DEFAULT-VALUE}).")
  long backlog;

  @Option(names = "--warmup-records-per-pod", defaultValue = "60000",
      description = "With --capacity: records per pod drained and discarded before the measured backlog, while each pod's JIT compiles"
          + " (default: ${DEFAULT-VALUE}).")
  long warmupRecordsPerPod;

  @Option(names = "--harness-warmup-seconds", defaultValue = "30",
      description = "Before each run's pods start: a discarded warm-up load of this length (one pod of its own, the publisher, the"
          + " reader, on topics of their own), so the broker and the bench's own clients are warm and a cold start measures the pods;"
          + " 0 skips it (default: ${DEFAULT-VALUE}).")
  long harnessWarmupSeconds;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "StreamScore configuration key for every pod.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    List<GroupProtocol> chosen = protocols.stream().map(p -> switch (p.trim().toLowerCase(Locale.ROOT)) {
      case "classic" -> GroupProtocol.CLASSIC;
      case "streams" -> GroupProtocol.STREAMS;
      default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--protocols takes classic and/or streams, not '" + p + "'");
    }).toList();
    ScaleSettings settings = new ScaleSettings(chosen, rate, pods, partitions, new PodLimits(podCpu, podMemoryMb << 20),
        Duration.ofSeconds(steadySeconds), Duration.ofSeconds(settleSeconds), Duration.ofSeconds(eventSeconds),
        Duration.ofSeconds(podBoundSeconds), warmupRecordsPerPod, Duration.ofSeconds(harnessWarmupSeconds), guarantee,
        model.toAbsolutePath(), output, overrides);
    Instant began = Instant.now();
    double loadBefore = MachineLoad.loadAverage();
    List<ScaleBench.ProtocolRun> runs;
    if (capacity != null && !capacity.isEmpty()) {
      List<ScaleBench.CapacityRun> drains;
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
        drains = new ScaleBench(settings, broker.bootstrapServers(), System.out).capacity(chosen.get(0), capacity, backlog, broker.pid());
      }
      String table = capacityTable(drains, began, loadBefore, MachineLoad.loadAverage(), settings);
      java.nio.file.Files.createDirectories(output);
      java.nio.file.Files.writeString(output.resolve("capacity-results.md"), table);
      System.out.println();
      System.out.println(table);
      System.out.println("Wrote " + output.resolve("capacity-results.md"));
      return drains.stream().allMatch(d -> d.lost() == 0 && d.twice() == 0 && d.problems().isEmpty()) ? 0 : 1;
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      runs = new ScaleBench(settings, broker.bootstrapServers(), System.out).run();
    }
    double loadAfter = MachineLoad.loadAverage();
    String header = String.format(Locale.ROOT, "Scale benchmark, %s to %s; %s; load average %.2f before, %.2f after; %s; %d pods of 1 stream"
        + " thread, %s each; %d partitions a topic; %.0f records/s.%nRerun: java -jar target/streamscore.jar scale-bench --protocols %s"
        + " --rate %.0f --pods %d --partitions %d --pod-cpu %s --pod-memory-mb %d",
        began, Instant.now(), Machine.describe(), loadBefore, loadAfter, guarantee, pods, settings.limits(), partitions, rate,
        String.join(",", protocols), rate, pods, partitions, podCpu, podMemoryMb);
    ScaleReport report = new ScaleReport(runs, header);
    List<Path> files = report.write(output);
    System.out.println();
    System.out.println(report.markdown());
    System.out.println("Wrote " + files);
    return report.clean() ? 0 : 1;
  }

  private String capacityTable(List<ScaleBench.CapacityRun> drains, Instant began, double loadBefore, double loadAfter, ScaleSettings settings) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Capacity, %s to %s; %s; load average %.2f before, %.2f after; %s;"
        + " group.protocol=%s; pods of 1 stream thread, %s each; %d partitions a topic; backlog %d records.%nRerun: java -jar"
        + " target/streamscore.jar scale-bench --capacity %s --backlog %d --warmup-records-per-pod %d --protocols %s --pod-cpu %s"
        + " --partitions %d%n%n",
        began, Instant.now(), Machine.describe(), loadBefore, loadAfter, guarantee, settings.protocols().get(0).configValue(),
        settings.limits(), partitions, backlog, String.join(",", capacity.stream().map(String::valueOf).toList()), backlog,
        warmupRecordsPerPod, settings.protocols().get(0).configValue(), podCpu, partitions));
    text.append("Each row is one run, in the order run; \"against 1 pod × pods\" divides by the median of the 1-pod runs.\n\n");
    text.append("| pods | records/s | against 1 pod × pods | pods' CPU µs a record | broker's CPU µs a record | lost | twice |\n");
    text.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    double[] ones = drains.stream().filter(d -> d.pods() == 1).mapToDouble(ScaleBench.CapacityRun::rate).sorted().toArray();
    double one = ones.length == 0 ? Double.NaN : ones.length % 2 == 1 ? ones[ones.length / 2]
        : (ones[ones.length / 2 - 1] + ones[ones.length / 2]) / 2;
    for (ScaleBench.CapacityRun d : drains) {
      double middle = d.backlog() * 0.8;
      text.append(String.format(Locale.ROOT, "| %d | %.0f | %.2f | %.1f | %.1f | %d | %d |%n", d.pods(), d.rate(), d.rate() / (one * d.pods()),
          d.podCpuSeconds() / middle * 1e6, d.brokerCpuSeconds() / middle * 1e6, d.lost(), d.twice()));
      d.problems().forEach(p -> text.append("\n- problem: ").append(p).append('\n'));
    }
    return text.toString();
  }
}
