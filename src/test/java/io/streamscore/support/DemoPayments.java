package io.streamscore.support;

import io.streamscore.demo.payments.AppUser;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.CardVelocity;
import io.streamscore.demo.payments.Cardholder;
import io.streamscore.demo.payments.Merchant;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.MobileCategory;
import io.streamscore.demo.payments.WebCheckoutPayment;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** One fixed, distinguishable record of each demo payment type. */
public final class DemoPayments {
  private DemoPayments() {}

  public static CardTerminalPayment cardTerminal() {
    return CardTerminalPayment.newBuilder()
        .setTransactionId("tx-1")
        .setTerminalId("T-10001")
        .setAmountEur(123.25)
        .setMerchant(Merchant.newBuilder().setMerchantId("M-7").setCategory("electronics").setCountry("DE").build())
        .setCardholder(Cardholder.newBuilder().setAccountAgeDays(4_000_000_000L).setHomeDistanceKm(17.5).build())
        .setCardPresent(true)
        .setLocalHour(22)
        .setVelocity(CardVelocity.newBuilder().setLastHour(2).setLastDay(5).setLastWeek(11).build())
        .build();
  }

  public static WebCheckoutPayment webCheckout(Double shippingDistanceKm) {
    return WebCheckoutPayment.newBuilder()
        .setOrderId("order-1")
        .setTotal(59.9)
        .setMerchantCategoryCode("gift_cards")
        .setCheckoutHour(3)
        .setCustomerAccountAgeDays(12L)
        .setRecentOrderCounts(List.of(1, 4, 9))
        .setShippingDistanceKm(shippingDistanceKm)
        .build();
  }

  public static MobileAppPayment mobileApp() {
    return MobileAppPayment.newBuilder()
        .setPaymentId("pay-1")
        .setDeviceId("D-1")
        .setAmount(8.75)
        .setCategory(MobileCategory.fuel)
        .setNfcTap(false)
        .setLocalHour(7)
        .setUser(AppUser.newBuilder().setUserId("U-1").setAccountAgeDays(365L).build())
        .setDistanceFromHomeKm(2.5f)
        .setTxCount1h(0)
        .setTxCount24h(3)
        .setTxCount7d(6)
        .build();
  }

  /** The web checkout's older writer schema, {@code schemas/history/WebCheckoutPayment-v1.avsc}. */
  public static Schema webCheckoutV1Schema() throws IOException {
    return new Schema.Parser().parse(new File("schemas/history/WebCheckoutPayment-v1.avsc"));
  }

  /** A record as a v1 web checkout writer sends it (no shipping distance). */
  public static GenericRecord webCheckoutV1(Schema v1) {
    GenericRecord record = new GenericData.Record(v1);
    record.put("order_id", "order-v1");
    record.put("total", 42.5);
    record.put("merchant_category_code", "fashion");
    record.put("checkout_hour", 14);
    record.put("customer_account_age_days", 900L);
    record.put("recent_order_counts", List.of(0, 2, 5));
    return record;
  }
}
