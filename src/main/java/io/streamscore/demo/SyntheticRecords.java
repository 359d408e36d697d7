package io.streamscore.demo;

import io.streamscore.demo.payments.AppUser;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.CardVelocity;
import io.streamscore.demo.payments.Cardholder;
import io.streamscore.demo.payments.Merchant;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.MobileCategory;
import io.streamscore.demo.payments.WebCheckoutPayment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Synthetic records for the three demo payment sources, drawn from {@link FraudScenario} and
 * encoded the way a producer with the generated classes would: Avro single-object encoding via
 * {@code toByteBuffer()}. Each source gives the same payment its own field names and layout.
 */
public final class SyntheticRecords {
  /** A key and an encoded value, ready to send. */
  public record KeyedBytes(byte[] key, byte[] value) {}

  /** Generates one source's records. Not thread-safe: it owns its {@link Random}. */
  public interface Generator {
    KeyedBytes next();
  }

  private static final Schema WEB_V1 = readSchema("/schemas/history/WebCheckoutPayment-v1.avsc");

  private SyntheticRecords() {}

  /**
   * A generator for records of {@code schema}, if it is one of the demo schemas.
   *
   * @param v1Share for the web checkout, the share of records written with the older v1 schema
   */
  public static Optional<Generator> forSchema(Schema schema, long seed, double v1Share) {
    Random random = new Random(seed);
    String name = schema.getFullName();
    if (name.equals(CardTerminalPayment.getClassSchema().getFullName())) {
      return Optional.of(() -> cardTerminal(random));
    }
    if (name.equals(WebCheckoutPayment.getClassSchema().getFullName())) {
      return Optional.of(() -> webCheckout(random, v1Share));
    }
    if (name.equals(MobileAppPayment.getClassSchema().getFullName())) {
      return Optional.of(() -> mobileApp(random));
    }
    return Optional.empty();
  }

  private static KeyedBytes cardTerminal(Random random) {
    Payment p = FraudScenario.draw(random, false);
    String id = uuid(random);
    CardTerminalPayment record = CardTerminalPayment.newBuilder()
        .setTransactionId(id)
        .setTerminalId("T-" + (10_000 + random.nextInt(90_000)))
        .setAmountEur(p.amountEur())
        .setMerchant(Merchant.newBuilder().setMerchantId("M-" + random.nextInt(5_000)).setCategory(p.merchantCategory())
            .setCountry(random.nextDouble() < 0.9 ? "DE" : "FR").build())
        .setCardholder(Cardholder.newBuilder().setAccountAgeDays(p.accountAgeDays()).setHomeDistanceKm(p.distanceKm()).build())
        .setCardPresent(p.cardPresent())
        .setLocalHour(p.hourOfDay())
        .setVelocity(CardVelocity.newBuilder().setLastHour(p.txLastHour()).setLastDay(p.txLastDay()).setLastWeek(p.txLastWeek()).build())
        .build();
    return new KeyedBytes(id.getBytes(StandardCharsets.UTF_8), bytes(record::toByteBuffer));
  }

  private static KeyedBytes webCheckout(Random random, double v1Share) {
    Payment p = FraudScenario.draw(random, true);
    String id = uuid(random);
    if (random.nextDouble() < v1Share) {
      GenericRecord v1 = new GenericData.Record(WEB_V1);
      v1.put("order_id", id);
      v1.put("total", p.amountEur());
      v1.put("merchant_category_code", p.merchantCategory());
      v1.put("checkout_hour", p.hourOfDay());
      v1.put("customer_account_age_days", p.accountAgeDays());
      v1.put("recent_order_counts", List.of(p.txLastHour(), p.txLastDay(), p.txLastWeek()));
      BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), WEB_V1);
      return new KeyedBytes(id.getBytes(StandardCharsets.UTF_8), bytes(() -> encoder.encode(v1)));
    }
    boolean digitalGoods = p.merchantCategory().equals("gift_cards") || random.nextDouble() < 0.1;
    WebCheckoutPayment record = WebCheckoutPayment.newBuilder()
        .setOrderId(id)
        .setTotal(p.amountEur())
        .setMerchantCategoryCode(p.merchantCategory())
        .setCheckoutHour(p.hourOfDay())
        .setCustomerAccountAgeDays(p.accountAgeDays())
        .setRecentOrderCounts(List.of(p.txLastHour(), p.txLastDay(), p.txLastWeek()))
        .setShippingDistanceKm(digitalGoods ? null : p.distanceKm())
        .build();
    return new KeyedBytes(id.getBytes(StandardCharsets.UTF_8), bytes(record::toByteBuffer));
  }

  private static KeyedBytes mobileApp(Random random) {
    Payment p = FraudScenario.draw(random, false);
    String id = uuid(random);
    MobileAppPayment record = MobileAppPayment.newBuilder()
        .setPaymentId(id)
        .setDeviceId("D-" + Long.toHexString(random.nextLong()))
        .setAmount(p.amountEur())
        .setCategory(MobileCategory.valueOf(p.merchantCategory()))
        .setNfcTap(p.cardPresent())
        .setLocalHour(p.hourOfDay())
        .setUser(AppUser.newBuilder().setUserId("U-" + random.nextInt(1_000_000)).setAccountAgeDays(p.accountAgeDays()).build())
        .setDistanceFromHomeKm((float) p.distanceKm())
        .setTxCount1h(p.txLastHour())
        .setTxCount24h(p.txLastDay())
        .setTxCount7d(p.txLastWeek())
        .build();
    return new KeyedBytes(id.getBytes(StandardCharsets.UTF_8), bytes(record::toByteBuffer));
  }

  private static String uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private interface Encoding {
    ByteBuffer encode() throws IOException;
  }

  private static byte[] bytes(Encoding encoding) {
    try {
      ByteBuffer buffer = encoding.encode();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema readSchema(String resource) {
    try (InputStream in = SyntheticRecords.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is missing from the class path");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
