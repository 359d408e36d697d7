package io.streamscore.source;

import static io.streamscore.support.DemoSources.withBinding;
import static io.streamscore.support.DemoSources.withoutBinding;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import io.streamscore.support.AvroRecords;
import io.streamscore.support.DemoPayments;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.DemoSources;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class FeatureMapperTest {
  private static final ModelSignature FRAUD = DemoSignatures.fraudModel();
  private static final Schema TERMINAL = CardTerminalPayment.getClassSchema();
  private static final Schema WEB = WebCheckoutPayment.getClassSchema();
  private static final Schema MOBILE = MobileAppPayment.getClassSchema();

  private static Object value(FeatureRow row, String input) {
    int index = FRAUD.inputIndex(input);
    assertTrue(index >= 0, input);
    return row.value(index);
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  private static MappingException rejected(SourceDefinition source, Schema schema, ModelSignature signature) {
    return assertThrows(MappingException.class, () -> FeatureMapper.compile(source, schema, signature));
  }

  @Test
  void shouldMapACardTerminalPaymentToOneValueOfTheRightJavaTypePerInput() {
    CardTerminalPayment payment = DemoPayments.cardTerminal();
    FeatureMapper mapper = FeatureMapper.compile(DemoSources.named("terminal"), TERMINAL, FRAUD);

    FeatureRow row = mapper.map(AvroRecords.asGeneric(payment));

    assertEquals(FRAUD.inputs().size(), row.size());
    assertEquals(payment.getCardholder().getAccountAgeDays(), assertInstanceOf(Long.class, value(row, "account_age_days")));
    assertEquals((float) payment.getAmountEur(), assertInstanceOf(Float.class, value(row, "amount")));
    assertEquals(payment.getCardPresent(), assertInstanceOf(Boolean.class, value(row, "card_present")));
    assertEquals(payment.getCardholder().getHomeDistanceKm(), assertInstanceOf(Double.class, value(row, "distance_km")));
    assertEquals(payment.getLocalHour(), assertInstanceOf(Integer.class, value(row, "hour_of_day")));
    assertEquals(payment.getMerchant().getCategory(), assertInstanceOf(String.class, value(row, "merchant_category")));
    float[] expectedVelocity = {payment.getVelocity().getLastHour(), payment.getVelocity().getLastDay(),
        payment.getVelocity().getLastWeek()};
    assertArrayEquals(expectedVelocity, assertInstanceOf(float[].class, value(row, "velocity")));
  }

  @Test
  void shouldMapTheGeneratedClassItselfLikeItsDecodedForm() {
    CardTerminalPayment payment = DemoPayments.cardTerminal();
    FeatureMapper mapper = FeatureMapper.compile(DemoSources.named("terminal"), TERMINAL, FRAUD);

    assertEquals(mapper.map(AvroRecords.asGeneric(payment)).toString(), mapper.map(payment).toString());
  }

  @Test
  void shouldFeedTheWebSourceAConstantCardPresentAndItsArrayAsVelocity() {
    WebCheckoutPayment payment = DemoPayments.webCheckout(31.0);
    FeatureMapper mapper = FeatureMapper.compile(DemoSources.named("web"), WEB, FRAUD);

    FeatureRow row = mapper.map(AvroRecords.asGeneric(payment));

    assertEquals(Boolean.FALSE, value(row, "card_present"));
    assertEquals(31.0, value(row, "distance_km"));
    assertEquals((float) payment.getTotal(), value(row, "amount"));
    assertEquals(payment.getCustomerAccountAgeDays(), value(row, "account_age_days"));
    assertEquals(payment.getMerchantCategoryCode(), value(row, "merchant_category"));
    float[] expectedVelocity = {payment.getRecentOrderCounts().get(0), payment.getRecentOrderCounts().get(1),
        payment.getRecentOrderCounts().get(2)};
    assertArrayEquals(expectedVelocity, assertInstanceOf(float[].class, value(row, "velocity")));
  }

  @Test
  void shouldUseTheConfiguredDefaultWhenTheShippingDistanceIsAbsent() {
    SourceDefinition web = DemoSources.named("web");
    InputBinding.Fields distance = (InputBinding.Fields) web.bindings().stream()
        .filter(b -> b.input().equals("distance_km")).findFirst().orElseThrow();
    FeatureMapper mapper = FeatureMapper.compile(web, WEB, FRAUD);

    FeatureRow row = mapper.map(AvroRecords.asGeneric(DemoPayments.webCheckout(null)));

    assertEquals(Double.valueOf(distance.defaultValue().orElseThrow()), assertInstanceOf(Double.class, value(row, "distance_km")));
  }

  @Test
  void shouldRejectAnArrayOfTheWrongLengthNamingTheFieldAndTheExpectedLength() {
    WebCheckoutPayment payment = DemoPayments.webCheckout(5.0);
    payment.setRecentOrderCounts(List.of(1, 2));
    FeatureMapper mapper = FeatureMapper.compile(DemoSources.named("web"), WEB, FRAUD);
    GenericRecord record = AvroRecords.asGeneric(payment);

    FeatureMappingException e = assertThrows(FeatureMappingException.class, () -> mapper.map(record));

    assertMentions(e, "source 'web'", "recent_order_counts", "has 2 elements", "velocity", "exactly 3");
  }

  @Test
  void shouldRejectANullRequiredValueWithoutDefaultSuggestingOne() {
    SourceDefinition web = withBinding(DemoSources.named("web"),
        new InputBinding.Fields("distance_km", List.of("shipping_distance_km"), Optional.empty()));
    FeatureMapper mapper = FeatureMapper.compile(web, WEB, FRAUD);
    GenericRecord record = AvroRecords.asGeneric(DemoPayments.webCheckout(null));

    FeatureMappingException e = assertThrows(FeatureMappingException.class, () -> mapper.map(record));

    assertMentions(e, "shipping_distance_km", "distance_km", "source.web.default.distance_km");
  }

  @Test
  void shouldMapAMobileEnumToItsSymbolAndAFloatDistanceToADouble() {
    MobileAppPayment payment = DemoPayments.mobileApp();
    FeatureMapper mapper = FeatureMapper.compile(DemoSources.named("mobile"), MOBILE, FRAUD);

    FeatureRow row = mapper.map(AvroRecords.asGeneric(payment));

    assertEquals(payment.getCategory().name(), assertInstanceOf(String.class, value(row, "merchant_category")));
    assertEquals((double) payment.getDistanceFromHomeKm(), assertInstanceOf(Double.class, value(row, "distance_km")));
    assertEquals(payment.getNfcTap(), value(row, "card_present"));
    assertEquals(payment.getUser().getAccountAgeDays(), value(row, "account_age_days"));
    float[] expectedVelocity = {payment.getTxCount1h(), payment.getTxCount24h(), payment.getTxCount7d()};
    assertArrayEquals(expectedVelocity, assertInstanceOf(float[].class, value(row, "velocity")));
  }

  @Test
  void shouldRefuseToNarrowALongFieldIntoAnInt32Input() {
    ModelSignature signature = DemoSignatures.fraudModelWith("account_age_days",
        new TensorSpec("account_age_days", TensorType.DT_INT32, DemoSignatures.BATCH));

    MappingException e = rejected(DemoSources.named("terminal"), TERMINAL, signature);

    assertMentions(e, "source 'terminal'", "cardholder.account_age_days", "Avro long", "'account_age_days'", "DT_INT32");
  }

  @Test
  void shouldRefuseAStringFieldForAFloatInput() {
    ModelSignature signature = DemoSignatures.fraudModelWith("merchant_category",
        new TensorSpec("merchant_category", TensorType.DT_FLOAT, DemoSignatures.BATCH));

    MappingException e = rejected(DemoSources.named("terminal"), TERMINAL, signature);

    assertMentions(e, "source 'terminal'", "merchant.category", "Avro string", "'merchant_category'", "DT_FLOAT");
  }

  @Test
  void shouldRequireABindingForEverySignatureInputSuggestingTheKey() {
    SourceDefinition terminal = withoutBinding(DemoSources.named("terminal"), "hour_of_day");

    MappingException e = rejected(terminal, TERMINAL, FRAUD);

    assertMentions(e, "source 'terminal'", "'hour_of_day'", "DT_INT32", "source.terminal.input.hour_of_day",
        "source.terminal.constant.hour_of_day");
  }

  @Test
  void shouldRejectABindingForAnInputTheSignatureLacks() {
    MappingException e = rejected(DemoSources.named("mobile"), MOBILE, DemoSignatures.fraudModelWithout("velocity"));

    assertMentions(e, "source 'mobile'", "[velocity]", "serving_default");
  }

  @Test
  void shouldRejectAFieldPathThatDoesNotExistListingTheRecordsFields() {
    SourceDefinition terminal = withBinding(DemoSources.named("terminal"),
        new InputBinding.Fields("merchant_category", List.of("merchant.mcc"), Optional.empty()));

    MappingException e = rejected(terminal, TERMINAL, FRAUD);

    assertMentions(e, "source 'terminal'", "merchant.mcc", "'mcc'", "[merchant_id, category, country]");
  }

  @Test
  void shouldRejectAPathThroughANonRecordField() {
    SourceDefinition terminal = withBinding(DemoSources.named("terminal"),
        new InputBinding.Fields("amount", List.of("amount_eur.value"), Optional.empty()));

    MappingException e = rejected(terminal, TERMINAL, FRAUD);

    assertMentions(e, "amount_eur.value", "not a record");
  }

  @Test
  void shouldRejectTheWrongNumberOfFieldsForARankTwoInput() {
    SourceDefinition terminal = withBinding(DemoSources.named("terminal"),
        new InputBinding.Fields("velocity", List.of("velocity.last_hour", "velocity.last_day"), Optional.empty()));

    MappingException e = rejected(terminal, TERMINAL, FRAUD);

    assertMentions(e, "source 'terminal'", "'velocity'", "[-1, 3]", "exactly 3 fields, found 2");
  }

  @Test
  void shouldRejectSeveralFieldsForAnInputTakingOneValue() {
    SourceDefinition terminal = withBinding(DemoSources.named("terminal"),
        new InputBinding.Fields("amount", List.of("amount_eur", "cardholder.home_distance_km"), Optional.empty()));

    MappingException e = rejected(terminal, TERMINAL, FRAUD);

    assertMentions(e, "'amount'", "[-1]", "exactly one field");
  }

  @Test
  void shouldRejectAConstantThatIsNotAValueOfTheInputsType() {
    SourceDefinition web = withBinding(DemoSources.named("web"), new InputBinding.Constant("card_present", "no"));

    MappingException e = rejected(web, WEB, FRAUD);

    assertMentions(e, "source.web.constant.card_present=no", "DT_BOOL", "'card_present'");
  }

  @Test
  void shouldRejectADefaultThatIsNotAValueOfTheInputsType() {
    SourceDefinition web = withBinding(DemoSources.named("web"),
        new InputBinding.Fields("distance_km", List.of("shipping_distance_km"), Optional.of("far")));

    MappingException e = rejected(web, WEB, FRAUD);

    assertMentions(e, "source.web.default.distance_km=far", "DT_DOUBLE", "'distance_km'");
  }

  @Test
  void shouldParseAConstantIntoTheInputsJavaType() {
    SourceDefinition web = withBinding(DemoSources.named("web"), new InputBinding.Constant("velocity", "0, 1.5, 2"));
    FeatureMapper mapper = FeatureMapper.compile(web, WEB, FRAUD);

    FeatureRow row = mapper.map(AvroRecords.asGeneric(DemoPayments.webCheckout(1.0)));

    assertArrayEquals(new float[] {0f, 1.5f, 2f}, assertInstanceOf(float[].class, value(row, "velocity")));
  }
}
