package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.support.AvroRecords;
import io.streamscore.support.DemoPayments;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class SourceDecoderTest {
  private static final Schema WEB_V2 = WebCheckoutPayment.getClassSchema();

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void shouldDecodeWhatAGeneratedClassWritesIntoAnEqualGenericRecord() throws IOException {
    CardTerminalPayment payment = DemoPayments.cardTerminal();
    SourceDecoder decoder = new SourceDecoder("terminal", CardTerminalPayment.getClassSchema(), List.of());

    GenericRecord decoded = decoder.decode(AvroRecords.bytes(payment.toByteBuffer()));

    assertEquals(CardTerminalPayment.getClassSchema(), decoded.getSchema());
    assertEquals(payment.getTransactionId(), decoded.get("transaction_id").toString());
    assertEquals(payment.getAmountEur(), decoded.get("amount_eur"));
    assertEquals(payment.getCardPresent(), decoded.get("card_present"));
    assertEquals(payment.getLocalHour(), decoded.get("local_hour"));
    GenericRecord merchant = (GenericRecord) decoded.get("merchant");
    assertEquals(payment.getMerchant().getCategory(), merchant.get("category").toString());
    GenericRecord cardholder = (GenericRecord) decoded.get("cardholder");
    assertEquals(payment.getCardholder().getAccountAgeDays(), cardholder.get("account_age_days"));
    assertEquals(payment.getCardholder().getHomeDistanceKm(), cardholder.get("home_distance_km"));
    GenericRecord velocity = (GenericRecord) decoded.get("velocity");
    assertEquals(payment.getVelocity().getLastWeek(), velocity.get("last_week"));
    // Field by field above for readable failures; as a whole, too, comparing by schema.
    assertEquals(0, GenericData.get().compare(payment, decoded, CardTerminalPayment.getClassSchema()));
  }

  @Test
  void shouldResolveARecordWrittenWithAListedOlderSchemaToTheReaderSchema() throws IOException {
    Schema v1 = DemoPayments.webCheckoutV1Schema();
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(v1));

    GenericRecord decoded = decoder.decode(AvroRecords.encode(DemoPayments.webCheckoutV1(v1)));

    assertEquals(WEB_V2, decoded.getSchema());
    assertEquals("order-v1", decoded.get("order_id").toString());
    assertEquals(42.5, decoded.get("total"));
    assertEquals(14, decoded.get("checkout_hour"));
    assertEquals(900L, decoded.get("customer_account_age_days"));
    assertEquals(List.of(0, 2, 5), decoded.get("recent_order_counts"));
    assertNull(decoded.get("shipping_distance_km"), "a v1 writer has no shipping distance; the v2 default is null");
  }

  @Test
  void shouldStillDecodeCurrentRecordsWhenOlderSchemasAreListed() throws IOException {
    WebCheckoutPayment payment = DemoPayments.webCheckout(31.0);
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(DemoPayments.webCheckoutV1Schema()));

    GenericRecord decoded = decoder.decode(AvroRecords.bytes(payment.toByteBuffer()));

    assertEquals(31.0, decoded.get("shipping_distance_km"));
  }

  @Test
  void shouldRejectARecordFromAnUnlistedWriterSchemaSayingWhereToListIt() throws IOException {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of());
    byte[] v1Bytes = AvroRecords.encode(DemoPayments.webCheckoutV1(DemoPayments.webCheckoutV1Schema()));

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(v1Bytes));

    assertMentions(e, "unknown writer schema", "source.web.writer.schemas");
  }

  @Test
  void shouldRejectBytesThatAreNotSingleObjectEncoding() {
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of());
    byte[] garbage = "{\"order_id\": \"not avro\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(garbage));

    assertMentions(e, "source 'web'", "single-object encoding");
  }

  @Test
  void shouldRejectATruncatedRecord() throws IOException {
    SourceDecoder decoder = new SourceDecoder("terminal", CardTerminalPayment.getClassSchema(), List.of());
    byte[] whole = AvroRecords.bytes(DemoPayments.cardTerminal().toByteBuffer());
    byte[] truncated = Arrays.copyOf(whole, 12);

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(truncated));

    assertMentions(e, "source 'terminal'", "truncated");
  }

  @Test
  void shouldRejectATombstone() {
    SourceDecoder decoder = new SourceDecoder("terminal", CardTerminalPayment.getClassSchema(), List.of());

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(null));

    assertMentions(e, "source 'terminal'", "tombstone");
  }

  @Test
  void shouldRejectARecordFromAWriterSchemaLackingARequiredReaderField() {
    // Same full name as the reader, but without customer_account_age_days, which has no default.
    Schema incompatible = SchemaBuilder.record("WebCheckoutPayment").namespace("io.streamscore.demo.payments").fields()
        .requiredString("order_id")
        .requiredDouble("total")
        .requiredString("merchant_category_code")
        .requiredInt("checkout_hour")
        .name("recent_order_counts").type().array().items().intType().noDefault()
        .endRecord();
    GenericRecord record = new GenericData.Record(incompatible);
    record.put("order_id", "order-x");
    record.put("total", 1.0);
    record.put("merchant_category_code", "grocery");
    record.put("checkout_hour", 9);
    record.put("recent_order_counts", List.of(1, 1, 1));
    SourceDecoder decoder = new SourceDecoder("web", WEB_V2, List.of(incompatible));

    RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> decoder.decode(AvroRecords.encode(record)));

    assertMentions(e, "source 'web'", "customer_account_age_days");
  }
}
