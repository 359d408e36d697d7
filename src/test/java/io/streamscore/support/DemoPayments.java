package io.streamscore.support;

import io.streamscore.demo.payments.AppUser;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.CardVelocity;
import io.streamscore.demo.payments.Cardholder;
import io.streamscore.demo.payments.Merchant;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.MobileCategory;
import io.streamscore.demo.payments.WebCheckoutPayment;
import java.util.List;

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
}
