package io.streamscore.soak;

import java.time.Duration;
import java.util.Properties;

/**
 * How long the soak runs, under which guarantee and group protocol, from which seed: the system
 * properties {@code soak.minutes}, {@code soak.guarantee}, {@code soak.protocol}, {@code soak.seed}.
 * The defaults are the run {@code mvn verify} makes: 3 minutes, exactly_once_v2, the default
 * {@code group.protocol} (auto: streams on the embedded broker), a fixed seed. Immutable.
 */
record SoakSettings(Duration length, String guarantee, String protocol, long seed) {
  static final long DEFAULT_SEED = 20261202L;
  static final String MINUTES = "soak.minutes";
  static final String GUARANTEE = "soak.guarantee";
  static final String SEED = "soak.seed";
  static final String PROTOCOL = "soak.protocol";

  SoakSettings {
    if (length.isNegative() || length.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(MINUTES + " must be at least 1, was " + length.toMinutes());
    }
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new IllegalArgumentException(GUARANTEE + " must be exactly_once_v2 or at_least_once, was '" + guarantee + "'");
    }
    if (!protocol.equals("auto") && !protocol.equals("classic") && !protocol.equals("streams")) {
      throw new IllegalArgumentException(PROTOCOL + " must be auto, classic or streams, was '" + protocol + "'");
    }
  }

  static SoakSettings from(Properties properties) {
    String minutes = properties.getProperty(MINUTES, "3").trim();
    String seed = properties.getProperty(SEED, Long.toString(DEFAULT_SEED)).trim();
    try {
      return new SoakSettings(Duration.ofMinutes(Long.parseLong(minutes)), properties.getProperty(GUARANTEE, "exactly_once_v2").trim(),
          properties.getProperty(PROTOCOL, "auto").trim(), Long.parseLong(seed));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MINUTES + " and " + SEED + " take whole numbers; got " + MINUTES + "='" + minutes + "', "
          + SEED + "='" + seed + "'", e);
    }
  }
}
