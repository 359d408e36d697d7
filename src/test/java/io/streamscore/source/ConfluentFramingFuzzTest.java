package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.prediction.Prediction;
import io.streamscore.support.DemoPayments;
import io.streamscore.support.FakeSchemaLookup;
import io.streamscore.support.FuzzFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Any bytes a stranger sends to a source read with a schema registry: Confluent's wire format
 * ({@code 00}, a 4-byte schema id, the body) or anything else. The first byte picks the demo source;
 * the rest is the record value. The registry (in memory) knows ids 1 to 4: the three demo schemas
 * and the web source's v1, and id 5: a schema no source can read (the prediction record).
 *
 * <p>Contract: a record of the reader schema, or {@link RecordDecodingException} with a reason (a
 * dead letter). Never another exception, an error or a hang.
 */
class ConfluentFramingFuzzTest {
  private static final SourceRegistry SOURCES = FuzzFixtures.demoSources(Optional.of(registry()));

  private static FakeSchemaLookup registry() {
    try {
      return new FakeSchemaLookup()
          .with(1, CardTerminalPayment.getClassSchema())
          .with(2, WebCheckoutPayment.getClassSchema())
          .with(3, MobileAppPayment.getClassSchema())
          .with(4, DemoPayments.webCheckoutV1Schema())
          .with(5, Prediction.getClassSchema());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyFrameOrRejectItWithARecordDecodingException(byte[] data) {
    InputSource source = FuzzFixtures.pick(SOURCES, data);
    try {
      GenericRecord record = source.decoder().decode(FuzzFixtures.rest(data));
      assertNotNull(record);
      Schema reader = source.decoder().readerSchema();
      assertEquals(reader, record.getSchema());
    } catch (RecordDecodingException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
