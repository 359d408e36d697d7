package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.demo.payments.AppUser;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.MobileCategory;
import io.streamscore.demo.payments.WebCheckoutPayment;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
  private final JsonRecords web = new JsonRecords(WebCheckoutPayment.getClassSchema());

  private static final String WEB_FIELDS = "\"order_id\": \"order-7\", \"total\": 19.99, \"merchant_category_code\": \"fashion\","
      + " \"checkout_hour\": 21, \"customer_account_age_days\": 4000000000, \"recent_order_counts\": [0, 3, 8]";

  private static WebCheckoutPayment decoded(byte[] bytes) throws Exception {
    return WebCheckoutPayment.fromByteBuffer(ByteBuffer.wrap(bytes));
  }

  private static WebCheckoutPayment.Builder expectedWeb() {
    return WebCheckoutPayment.newBuilder()
        .setOrderId("order-7")
        .setTotal(19.99)
        .setMerchantCategoryCode("fashion")
        .setCheckoutHour(21)
        .setCustomerAccountAgeDays(4_000_000_000L)
        .setRecentOrderCounts(List.of(0, 3, 8));
  }

  private IllegalArgumentException rejectedWeb(String json) {
    return assertThrows(IllegalArgumentException.class, () -> web.encode(json));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void shouldEncodeAPlainJsonLineThatTheGeneratedClassDecodesToEqualValues() throws Exception {
    byte[] bytes = web.encode("{" + WEB_FIELDS + ", \"shipping_distance_km\": 12.5}");

    assertEquals(expectedWeb().setShippingDistanceKm(12.5).build(), decoded(bytes));
  }

  @Test
  void shouldTakeTheSchemaDefaultForAnAbsentOptionalField() throws Exception {
    WebCheckoutPayment payment = decoded(web.encode("{" + WEB_FIELDS + "}"));

    assertNull(payment.getShippingDistanceKm());
    assertEquals(expectedWeb().setShippingDistanceKm(null).build(), payment);
  }

  @Test
  void shouldAcceptAnExplicitNullForAnOptionalField() throws Exception {
    assertNull(decoded(web.encode("{" + WEB_FIELDS + ", \"shipping_distance_km\": null}")).getShippingDistanceKm());
  }

  @Test
  void shouldEncodeNestedRecordsEnumsAndFloats() throws Exception {
    JsonRecords mobile = new JsonRecords(MobileAppPayment.getClassSchema());
    String json = "{\"payment_id\": \"p-1\", \"device_id\": \"d-1\", \"amount\": 8, \"category\": \"travel\","
        + " \"nfc_tap\": true, \"local_hour\": 6, \"user\": {\"user_id\": \"u-1\", \"account_age_days\": 30},"
        + " \"distance_from_home_km\": 2.25, \"tx_count_1h\": 1, \"tx_count_24h\": 2, \"tx_count_7d\": 3}";

    MobileAppPayment payment = MobileAppPayment.fromByteBuffer(ByteBuffer.wrap(mobile.encode(json)));

    assertEquals(MobileAppPayment.newBuilder().setPaymentId("p-1").setDeviceId("d-1").setAmount(8.0)
        .setCategory(MobileCategory.travel).setNfcTap(true).setLocalHour(6)
        .setUser(AppUser.newBuilder().setUserId("u-1").setAccountAgeDays(30L).build())
        .setDistanceFromHomeKm(2.25f).setTxCount1h(1).setTxCount24h(2).setTxCount7d(3).build(), payment);
  }

  @Test
  void shouldRejectAValueOfTheWrongTypeNamingTheField() {
    IllegalArgumentException e = rejectedWeb("{" + WEB_FIELDS.replace("\"total\": 19.99", "\"total\": \"19.99\"") + "}");

    assertMentions(e, "WebCheckoutPayment.total", "a number", "\"19.99\"");
  }

  @Test
  void shouldRejectAFractionForAnIntField() {
    IllegalArgumentException e = rejectedWeb("{" + WEB_FIELDS.replace("\"checkout_hour\": 21", "\"checkout_hour\": 21.5") + "}");

    assertMentions(e, "checkout_hour", "an int");
  }

  @Test
  void shouldRejectABadArrayElementNamingItsIndex() {
    IllegalArgumentException e = rejectedWeb("{" + WEB_FIELDS.replace("[0, 3, 8]", "[0, \"three\", 8]") + "}");

    assertMentions(e, "recent_order_counts[1]", "an int");
  }

  @Test
  void shouldRejectAMissingRequiredFieldNamingIt() {
    IllegalArgumentException e = rejectedWeb("{" + WEB_FIELDS.replace("\"order_id\": \"order-7\", ", "") + "}");

    assertMentions(e, "order_id", "missing");
  }

  @Test
  void shouldRejectAFieldTheSchemaDoesNotHave() {
    IllegalArgumentException e = rejectedWeb("{" + WEB_FIELDS + ", \"coupon_code\": \"SAVE10\"}");

    assertMentions(e, "coupon_code", WebCheckoutPayment.getClassSchema().getFullName());
  }

  @Test
  void shouldRejectAnEnumSymbolTheSchemaDoesNotHaveListingTheSymbols() {
    JsonRecords mobile = new JsonRecords(MobileAppPayment.getClassSchema());
    String json = "{\"payment_id\": \"p-1\", \"device_id\": \"d-1\", \"amount\": 8, \"category\": \"casino\","
        + " \"nfc_tap\": true, \"local_hour\": 6, \"user\": {\"user_id\": \"u-1\", \"account_age_days\": 30},"
        + " \"distance_from_home_km\": 2.25, \"tx_count_1h\": 1, \"tx_count_24h\": 2, \"tx_count_7d\": 3}";

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mobile.encode(json));

    assertMentions(e, "category", "casino", MobileAppPayment.getClassSchema().getField("category").schema().getEnumSymbols().toString());
  }

  @Test
  void shouldRejectALineThatIsNotJson() {
    IllegalArgumentException e = rejectedWeb("order_id=order-7");

    assertMentions(e, "not JSON");
  }

  @Test
  void shouldTakeTheKeyFromADottedPathAsTheValuesTextWhenAKeyFieldIsGiven() {
    String line = "{\"order_id\":\"o-7\",\"customer\":{\"id\":42,\"vip\":true,\"score\":1.5}}";

    assertEquals("o-7", new String(JsonRecords.keyOf(line, "order_id"), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("42", new String(JsonRecords.keyOf(line, "customer.id"), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("true", new String(JsonRecords.keyOf(line, "customer.vip"), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("1.5", new String(JsonRecords.keyOf(line, "customer.score"), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void shouldNameTheKeyFieldWhenItIsMissingNullOrNotAScalar() {
    String line = "{\"order_id\":null,\"customer\":{\"tags\":[1,2]}}";

    assertMentions(assertThrows(IllegalArgumentException.class, () -> JsonRecords.keyOf(line, "order_id")), "key field 'order_id' (--key) is null");
    assertMentions(assertThrows(IllegalArgumentException.class, () -> JsonRecords.keyOf(line, "customer.id")), "key field 'customer.id' (--key) is missing");
    assertMentions(assertThrows(IllegalArgumentException.class, () -> JsonRecords.keyOf(line, "customer.tags")), "holds an array");
    assertMentions(assertThrows(IllegalArgumentException.class, () -> JsonRecords.keyOf(line, "customer")), "holds an object");
    assertMentions(assertThrows(IllegalArgumentException.class, () -> JsonRecords.keyOf(line, "order_id.deeper")), "is missing");
  }
}
