package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.support.FuzzFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Any line given to {@code publish --json-lines} (the first byte picks the demo source's schema; the
 * rest is the line, as UTF-8).
 *
 * <p>Contract, as {@code PublishCommand} applies it: {@link JsonRecords#encode} returns bytes, or
 * throws {@link IllegalArgumentException} with a reason (the line is reported and not sent). Bytes
 * it returns are a record the source decodes: publish never sends what StreamScore would
 * dead-letter as undecodable. Never another exception or a hang.
 */
class JsonLinesFuzzTest {
  private static final SourceRegistry SOURCES = FuzzFixtures.demoSources(Optional.empty());

  @FuzzTest(maxDuration = "10m")
  void shouldEncodeAnyLineAsADecodableRecordOrRejectItWithAReason(byte[] data) {
    InputSource source = FuzzFixtures.pick(SOURCES, data);
    String line = new String(FuzzFixtures.rest(data), StandardCharsets.UTF_8);
    byte[] value;
    try {
      value = new JsonRecords(source.decoder().readerSchema()).encode(line);
    } catch (IllegalArgumentException rejected) {
      FuzzFixtures.assertHasReason(rejected);
      return;
    }
    assertEquals(source.decoder().readerSchema(), source.decoder().decode(value).getSchema());
  }
}
