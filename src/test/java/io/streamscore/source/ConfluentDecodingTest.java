package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.registry.RegistryUnavailableException;
import io.streamscore.support.AvroRecords;
import io.streamscore.support.DemoPayments;
import io.streamscore.support.FakeSchemaLookup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Confluent's wire format (00, schema id, body) decoded with writer schemas from a registry. */
class ConfluentDecodingTest {
  private static final Schema WEB_V2 = WebCheckoutPayment.getClassSchema();

  static byte[] confluent(int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return ConfluentWireFormat.frame(id, out.toByteArray());
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void shouldDecodeBothFormatsOnOneTopicAndResolveAnOlderRegisteredWriter() throws IOException {
    FakeSchemaLookup registry = new FakeSchemaLookup().with(1, DemoPayments.webCheckoutV1Schema()).with(2, WEB_V2);
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(registry));
    WebCheckoutPayment payment = DemoPayments.webCheckout(12.0);

    GenericRecord fromV2 = decoder.decode(confluent(2, payment));
    GenericRecord fromV1 = decoder.decode(confluent(1, DemoPayments.webCheckoutV1(DemoPayments.webCheckoutV1Schema())));
    GenericRecord singleObject = decoder.decode(AvroRecords.bytes(payment.toByteBuffer()));

    assertEquals(12.0, fromV2.get("shipping_distance_km"));
    assertEquals("order-v1", fromV1.get("order_id").toString());
    assertEquals(null, fromV1.get("shipping_distance_km"), "v1 lacks the field: the reader's default");
    assertEquals(WEB_V2, fromV1.getSchema());
    assertEquals(fromV2.get("order_id").toString(), singleObject.get("order_id").toString());
  }

  @Test
  void shouldLookUpEachIdOnceAcrossManyRecords() throws IOException {
    FakeSchemaLookup registry = new FakeSchemaLookup().with(2, WEB_V2);
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(registry));
    byte[] value = confluent(2, DemoPayments.webCheckout(null));
    for (int i = 0; i < 100; i++) {
      decoder.decode(value);
    }
    assertEquals(1, registry.lookups());
  }

  @Test
  void shouldNameAnIdTheRegistryDoesNotHave() throws IOException {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(new FakeSchemaLookup()));
    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(confluent(99, DemoPayments.webCheckout(null))));
    assertMentions(e, "source 'web'", "schema id 99 is not in the schema registry", "40403", "schema.registry.url");
  }

  @Test
  void shouldExplainAWriterSchemaThatCannotBeReadAsTheReader() throws IOException {
    Schema other = SchemaBuilder.record("WebCheckoutPayment").namespace("io.streamscore.demo.payments").fields()
        .requiredString("order_id").requiredString("total").endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("order_id", "o");
    record.put("total", "lots");
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(new FakeSchemaLookup().with(5, other)));
    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(confluent(5, record)));
    assertMentions(e, "registry id 5", "cannot be read as io.streamscore.demo.payments.WebCheckoutPayment");
  }

  @Test
  void shouldCallATruncatedBodyCorruptAndATruncatedHeaderTruncated() throws IOException {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(new FakeSchemaLookup().with(2, WEB_V2)));
    byte[] whole = confluent(2, DemoPayments.webCheckout(3.0));
    RecordDecodingException body = assertThrows(RecordDecodingException.class, () -> decoder.decode(Arrays.copyOf(whole, whole.length - 6)));
    assertMentions(body, "corrupt or truncated Avro body", "schema id 2");
    RecordDecodingException header = assertThrows(RecordDecodingException.class, () -> decoder.decode(new byte[] {0, 0, 1}));
    assertMentions(header, "truncated Confluent wire format", "3 byte(s)");
  }

  @Test
  void shouldNameBothFormatsWhenTheFirstByteIsNeither() {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(new FakeSchemaLookup()));
    RecordDecodingException e = assertThrows(RecordDecodingException.class,
        () -> decoder.decode("{\"order_id\":\"o\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertMentions(e, "neither Avro single-object encoding", "Confluent's wire format", "7B", "JSON?");
  }

  @Test
  void shouldAskForARegistryWhenAConfluentRecordArrivesWithoutOne() throws IOException {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of());
    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(confluent(2, DemoPayments.webCheckout(null))));
    assertMentions(e, "Confluent wire format", "schema id 2", "set schema.registry.url");
  }

  @Test
  void shouldLetARegistryOutagePassAsSuchAndDecodeOnceTheRegistryIsBack() throws IOException {
    FakeSchemaLookup registry = new FakeSchemaLookup().with(2, WEB_V2);
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(registry));
    byte[] value = confluent(2, DemoPayments.webCheckout(null));
    registry.setDown(true);
    assertThrows(RegistryUnavailableException.class, () -> decoder.decode(value), "not a RecordDecodingException: the record is not bad");
    registry.setDown(false);
    assertEquals("order-1", decoder.decode(value).get("order_id").toString(), "the outage was not remembered");
  }

  // Found by ConfluentFramingFuzzTest: a length prefix beyond what a Java array holds made Avro throw
  // UnsupportedOperationException ("Cannot read strings longer than 2147483639 bytes"), which passed the decoder's
  // contract by and reached the dead-letter topic as a bare Avro message.
  @Test
  void shouldRejectALengthPrefixBeyondWhatAJavaArrayHoldsAsTooLarge() {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(), Optional.of(new FakeSchemaLookup().with(2, WEB_V2)));
    // order_id claims 2^40 bytes (zig-zag varint of 2^40), backed by none.
    byte[] value = ConfluentWireFormat.frame(2, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40});

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(value));

    assertMentions(e, "source 'web'", "the record claims a string, bytes or array larger than allowed", "limits.string.length");
  }
}
