package io.streamscore.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which version to serve, as a pure function of the versions on disk (TensorFlow Serving's
 * "latest" and "specific" policies). Immutable.
 *
 * @param specific the version to serve, or empty for the newest
 */
public record VersionPolicy(Optional<Long> specific) {

  public static VersionPolicy latest() {
    return new VersionPolicy(Optional.empty());
  }

  public static VersionPolicy specific(long version) {
    return new VersionPolicy(Optional.of(version));
  }

  /** The version to serve among {@code available}, or empty when none fits the policy. */
  public Optional<ModelVersions.Version> choose(List<ModelVersions.Version> available) {
    if (specific.isPresent()) {
      return available.stream().filter(v -> v.number() == specific.get()).findFirst();
    }
    return available.stream().max(Comparator.comparingLong(ModelVersions.Version::number));
  }

  @Override
  public String toString() {
    return specific.map(v -> "specific version " + v).orElse("latest");
  }
}
