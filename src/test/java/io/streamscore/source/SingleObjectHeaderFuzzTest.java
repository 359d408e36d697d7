package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.support.FuzzFixtures;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Any bytes a stranger sends to a source without a schema registry: Avro single-object encoding
 * (the header {@code C3 01} + fingerprint, then the body). The first byte picks the demo source.
 *
 * <p>Contract: {@link SourceDecoder#decode} returns a record of the reader schema, or throws
 * {@link RecordDecodingException} with a reason, which {@code DeadLetterHandler} turns into a dead
 * letter. Any other exception, an error (out of memory, stack overflow) or a hang fails the test.
 * Runs on the committed inputs in every build; fuzzes with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class SingleObjectHeaderFuzzTest {
  private static final SourceRegistry SOURCES = FuzzFixtures.demoSources(Optional.empty());

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyBytesOrRejectThemWithARecordDecodingException(byte[] data) {
    InputSource source = FuzzFixtures.pick(SOURCES, data);
    try {
      GenericRecord record = source.decoder().decode(FuzzFixtures.rest(data));
      assertNotNull(record);
      assertEquals(source.decoder().readerSchema(), record.getSchema());
    } catch (RecordDecodingException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
