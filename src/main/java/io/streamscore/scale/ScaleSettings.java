package io.streamscore.scale;

import io.streamscore.config.GroupProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the scale benchmark runs. Immutable.
 *
 * @param protocols the group protocols to run the script under, one after the other
 * @param perSecond the paced input rate over all sources
 * @param pods instances before the scale-out (one more joins, then leaves)
 * @param partitions partitions of every input topic
 * @param limits each pod's CPU quota and memory limit
 * @param steady length of the start and steady phases
 * @param settle how long a phase goes on after its event is done
 * @param eventWindow the shortest phase after a scale-out or scale-in: the event's minute
 * @param podBound longest wait for a new pod to score or an old one to exit
 * @param warmupRecordsPerPod records per pod drained and discarded before a capacity run's measured backlog
 * @param harnessWarmup length of the discarded warm-up load before each script run's pods start (zero: none)
 * @param guarantee processing.guarantee of the instances
 * @param model model base path of the instances
 * @param output where results and pod logs go
 * @param overrides StreamScore keys for every instance
 */
public record ScaleSettings(List<GroupProtocol> protocols, double perSecond, int pods, int partitions, PodLimits limits, Duration steady,
    Duration settle, Duration eventWindow, Duration podBound, long warmupRecordsPerPod, Duration harnessWarmup, String guarantee, Path model, Path output, Map<String, String> overrides) {
  public ScaleSettings {
    protocols = List.copyOf(protocols);
    overrides = Map.copyOf(overrides);
    if (protocols.isEmpty() || protocols.contains(GroupProtocol.AUTO)) {
      throw new IllegalArgumentException("--protocols takes classic and/or streams, each a run of its own");
    }
    if (pods < 1 || partitions < pods + 1 || perSecond <= 0) {
      throw new IllegalArgumentException("need at least 1 pod, more partitions than pods + 1, and a positive rate; got " + pods
          + " pods, " + partitions + " partitions, " + perSecond + " records/s");
    }
  }
}
