package io.streamscore.scale;

/**
 * What a pod's {@code resources.limits} give one instance: a CPU quota in cores (Kubernetes turns
 * it into a CFS quota) and a memory limit. Immutable.
 *
 * @param cpus cores, for example 0.5; 0 for no CPU limit
 * @param memoryBytes the memory limit; 0 for none
 */
public record PodLimits(double cpus, long memoryBytes) {
  public PodLimits {
    if (cpus < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException("pod limits cannot be negative: " + cpus + " cores, " + memoryBytes + " bytes");
    }
  }

  @Override
  public String toString() {
    return (cpus == 0 ? "no CPU limit" : cpus + " CPU") + ", " + (memoryBytes == 0 ? "no memory limit" : (memoryBytes >> 20) + " MiB");
  }
}
