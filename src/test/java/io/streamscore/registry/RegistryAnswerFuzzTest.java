package io.streamscore.registry;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.source.RecordDecodingException;
import io.streamscore.source.SourceDecoder;
import io.streamscore.support.AvroRecords;
import io.streamscore.support.DemoPayments;
import io.streamscore.support.FuzzFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Any answer a schema registry (or whatever answers at its URL) sends. The first byte picks the
 * HTTP status (200, 404, 401, 409, 422); the rest is the body, read as UTF-8.
 *
 * <p>Contract, as {@link SchemaRegistryClient} applies it: a 2xx body gives an Avro schema or a
 * {@link RegistryException} with a reason; a refusal gives a {@link RegistryException} (never
 * throws while building it). A schema that parses is then used as the writer schema of a real
 * Confluent frame of the web source, as {@link SourceDecoder} does per id: a record, or {@link
 * RecordDecodingException} with a reason (a dead letter). Never another exception or a hang.
 */
class RegistryAnswerFuzzTest {
  private static final URI URL = URI.create("http://registry.test:8081/schemas/ids/7");
  private static final int[] STATUSES = {200, 404, 401, 409, 422};
  private static final byte[] WEB_FRAME = frame();

  /** A real web checkout record in Confluent's wire format, schema id 7: the single-object body behind a new header. */
  private static byte[] frame() {
    try {
      byte[] singleObject = AvroRecords.bytes(DemoPayments.webCheckout(12.5).toByteBuffer());
      return ConfluentWireFormat.frame(7, Arrays.copyOfRange(singleObject, 10, singleObject.length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void shouldReadAnyAnswerAsASchemaOrARegistryException(byte[] data) {
    int status = STATUSES[data.length == 0 ? 0 : Byte.toUnsignedInt(data[0]) % STATUSES.length];
    String body = new String(FuzzFixtures.rest(data), StandardCharsets.UTF_8);
    if (status != 200) {
      RegistryException refusal = SchemaRegistryClient.refusal(status, body, "GET", URL);
      FuzzFixtures.assertHasReason(refusal);
      return;
    }
    Schema schema;
    try {
      JsonNode answer = SchemaRegistryClient.parse(body, URL);
      schema = SchemaRegistryClient.parseAvro(answer, "schema id 7", "http://registry.test:8081");
      assertNotNull(schema);
    } catch (RegistryException rejected) {
      FuzzFixtures.assertHasReason(rejected);
      return;
    }
    SchemaLookup lookup = new SchemaLookup() {
      @Override
      public Schema schemaById(int id) {
        return schema;
      }

      @Override
      public Schema latestSchema(String subject) {
        return schema;
      }

      @Override
      public String describe() {
        return "http://registry.test:8081";
      }
    };
    SourceDecoder decoder = new SourceDecoder("web", WebCheckoutPayment.getClassSchema(), List.of(), Optional.of(lookup));
    try {
      assertNotNull(decoder.decode(WEB_FRAME));
    } catch (RecordDecodingException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
