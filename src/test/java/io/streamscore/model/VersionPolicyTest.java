package io.streamscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionPolicyTest {

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("latest of several", VersionPolicy.latest(), List.of(1L, 3L, 2L), Optional.of(3L)),
        Arguments.of("latest of one", VersionPolicy.latest(), List.of(123L), Optional.of(123L)),
        Arguments.of("latest of none", VersionPolicy.latest(), List.of(), Optional.empty()),
        Arguments.of("specific present", VersionPolicy.specific(2), List.of(1L, 2L, 3L), Optional.of(2L)),
        Arguments.of("specific older than the newest", VersionPolicy.specific(123), List.of(123L, 124L), Optional.of(123L)),
        Arguments.of("specific absent", VersionPolicy.specific(9), List.of(1L, 2L), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shouldChooseTheVersionThePolicyNames(String scenario, VersionPolicy policy, List<Long> onDisk, Optional<Long> expected) {
    List<ModelVersions.Version> available = onDisk.stream().map(n -> new ModelVersions.Version(n, Path.of("m", "" + n))).toList();
    assertEquals(expected, policy.choose(available).map(ModelVersions.Version::number));
  }
}
