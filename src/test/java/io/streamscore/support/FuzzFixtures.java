package io.streamscore.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.source.AvroLimits;
import io.streamscore.source.InputSource;
import io.streamscore.source.SourceRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fuzz tests share: the demo configuration's sources, built once (a fuzz target runs
 * thousands of times a second, so nothing expensive happens per input), with Avro's decoding
 * limits set as {@code StreamScoreService} sets them at start-up.
 *
 * <p>A fuzz input picks its source with its first byte ({@link #pick}), so one target covers
 * every demo schema; the seed corpus files start with that byte.
 */
public final class FuzzFixtures {
  /** The demo configuration, as start-up reads it. */
  public static final StreamScoreConfig DEMO_CONFIG = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());

  static {
    AvroLimits.apply(DEMO_CONFIG.maxStringLength(), DEMO_CONFIG.maxBytesLength(), DEMO_CONFIG.maxCollectionItems());
  }

  private FuzzFixtures() {}

  /** The demo sources (terminal, web, mobile) against the demo model's signature, with or without a registry. */
  public static SourceRegistry demoSources(Optional<SchemaLookup> registry) {
    return SourceRegistry.create(DEMO_CONFIG.sources(), DemoSignatures.fraudModel(), DEMO_CONFIG.maxRecordBytes(), registry);
  }

  /** The source the first byte of {@code data} names (the byte modulo the number of sources). */
  public static InputSource pick(SourceRegistry sources, byte[] data) {
    List<InputSource> all = sources.sources();
    return all.get(data.length == 0 ? 0 : Byte.toUnsignedInt(data[0]) % all.size());
  }

  /** {@code data} without its first byte, the one {@link #pick} reads. */
  public static byte[] rest(byte[] data) {
    return data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
  }

  /**
   * The contract of every rejection: a message a person can act on. A rejection without one would
   * become a dead letter (or a start-up error) that says nothing.
   */
  public static void assertHasReason(RuntimeException rejection) {
    assertNotNull(rejection.getMessage(), () -> rejection.getClass().getName() + " without a message");
    assertFalse(rejection.getMessage().isBlank(), () -> rejection.getClass().getName() + " with a blank message");
  }
}
