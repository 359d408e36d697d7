package io.streamscore.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.payments.AppUser;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.demo.payments.CardVelocity;
import io.streamscore.demo.payments.Cardholder;
import io.streamscore.demo.payments.Merchant;
import io.streamscore.demo.payments.MobileAppPayment;
import io.streamscore.demo.payments.MobileCategory;
import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.Scorer;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.FakeScorer;
import io.streamscore.support.TestModels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class ScoringTopologyTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers", "unused:9092"));

  @Test
  void shouldWriteOnePredictionPerRecordFromEverySourceWithItsLineage() throws Exception {
    FakeScorer scorer = new FakeScorer();
    try (TopologyTestDriver driver = driver(scorer)) {
      input(driver, "payments.card-terminal").pipeInput(new TestRecord<>(key("t1"), bytes(terminal(12.5).toByteBuffer()), NOW.minusSeconds(5)));
      input(driver, "payments.web-checkout").pipeInput(new TestRecord<>(key("w1"), bytes(web(99.0, null).toByteBuffer()), NOW.minusSeconds(4)));
      input(driver, "payments.mobile-app").pipeInput(new TestRecord<>(key("m1"), bytes(mobile(7.25).toByteBuffer()), NOW.minusSeconds(3)));
      input(driver, "payments.card-terminal").pipeInput(new TestRecord<>(key("t2"), bytes(terminal(40.0).toByteBuffer()), NOW.minusSeconds(2)));

      List<TestRecord<byte[], byte[]>> out = output(driver, config.outputTopic()).readRecordsToList();
      assertEquals(4, out.size());
      assertEquals(4, scorer.calls());
      record Expected(String key, String source, String topic, long offset, double amount, Instant eventTime) {}
      List<Expected> expected = List.of(
          new Expected("t1", "terminal", "payments.card-terminal", 0, 12.5, NOW.minusSeconds(5)),
          new Expected("w1", "web", "payments.web-checkout", 0, 99.0, NOW.minusSeconds(4)),
          new Expected("m1", "mobile", "payments.mobile-app", 0, 7.25, NOW.minusSeconds(3)),
          new Expected("t2", "terminal", "payments.card-terminal", 1, 40.0, NOW.minusSeconds(2)));
      for (int i = 0; i < expected.size(); i++) {
        Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(out.get(i).value()));
        Expected e = expected.get(i);
        assertArrayEquals(key(e.key()), out.get(i).key(), "the prediction is keyed as its input");
        assertEquals(e.source(), p.getSource());
        assertEquals(e.topic(), p.getTopic());
        assertEquals(0, p.getPartition());
        assertEquals(e.offset(), p.getOffset());
        assertEquals(e.eventTime(), p.getEventTimestamp());
        assertEquals("fake", p.getModelName());
        assertEquals(42, p.getModelVersion());
        assertEquals(List.of(e.amount()), p.getOutputs().get("amount_echo").getFloats());
        assertEquals("DT_DOUBLE", p.getOutputs().get("amount_echo").getDtype());
        assertEquals(NOW, p.getScoredAt());
      }
      assertTrue(output(driver, config.deadLetterTopic()).isEmpty());
    }
  }

  @Test
  void shouldDeadLetterRecordsThatCannotBeScoredWithTheReasonAndGoOn() throws Exception {
    FakeScorer scorer = new FakeScorer();
    try (TopologyTestDriver driver = driver(scorer)) {
      TestInputTopic<byte[], byte[]> terminals = input(driver, "payments.card-terminal");
      byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
      terminals.pipeInput(key("good-1"), bytes(terminal(10).toByteBuffer()));
      terminals.pipeInput(key("garbage"), garbage);
      terminals.pipeInput(key("tombstone"), (byte[]) null);
      terminals.pipeInput(key("model-fails"), bytes(terminal(FakeScorer.FAILING_AMOUNT).toByteBuffer()));
      terminals.pipeInput(key("good-2"), bytes(terminal(20).toByteBuffer()));

      List<TestRecord<byte[], byte[]>> predictions = output(driver, config.outputTopic()).readRecordsToList();
      assertEquals(List.of("good-1", "good-2"), predictions.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());

      List<TestRecord<byte[], byte[]>> dead = output(driver, config.deadLetterTopic()).readRecordsToList();
      assertEquals(List.of("garbage", "tombstone", "model-fails"), dead.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
      assertArrayEquals(garbage, dead.get(0).value(), "the dead letter keeps the original bytes");
      assertTrue(header(dead.get(0), "__streams.errors.message").contains("not Avro single-object encoding"));
      assertTrue(header(dead.get(1), "__streams.errors.message").contains("tombstone"));
      assertTrue(header(dead.get(2), "__streams.errors.message").contains("fake model refuses"));
      assertEquals("payments.card-terminal", header(dead.get(0), "__streams.errors.topic"));
      assertEquals("1", header(dead.get(0), "__streams.errors.offset"));
    }
  }

  @Test
  void shouldDeadLetterARecordWhoseRequiredFeatureIsNull() throws Exception {
    StreamScoreConfig noDefault = ConfigLoader.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "unused:9092", "source.web.input.distance_km", "shipping_distance_km"));
    StreamScoreConfig strict = withoutKey(noDefault);
    FakeScorer scorer = new FakeScorer();
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ScoringTopology.build(SourceRegistry.create(strict.sources(), scorer.model().signature()), scorer, strict.outputTopic(), CLOCK),
        strict.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> web = driver.createInputTopic("payments.web-checkout", new ByteArraySerializer(), new ByteArraySerializer());
      web.pipeInput(key("digital"), bytes(web(15, null).toByteBuffer()));
      web.pipeInput(key("shipped"), bytes(web(15, 3.5).toByteBuffer()));
      assertEquals(1, output(driver, strict.outputTopic()).readRecordsToList().size());
      List<TestRecord<byte[], byte[]>> dead = output(driver, strict.deadLetterTopic()).readRecordsToList();
      assertEquals(1, dead.size());
      String reason = header(dead.get(0), "__streams.errors.message");
      assertTrue(reason.contains("'shipping_distance_km' is null") && reason.contains("source.web.default.distance_km"), reason);
    }
  }

  @Test
  void shouldScoreWithTheRealModelExactlyAsTheRuntimeDoesDirectly() throws Exception {
    try (SavedModelScorer model = SavedModelScorer.load(ModelOptions.defaults(TestModels.demoModel()));
        TopologyTestDriver driver = driver(model)) {
      CardTerminalPayment payment = terminal(250.0);
      input(driver, "payments.card-terminal").pipeInput(key("t"), bytes(payment.toByteBuffer()));
      Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(output(driver, config.outputTopic()).readValue()));

      FeatureRow row = new FeatureRow(payment.getCardholder().getAccountAgeDays(), (float) payment.getAmountEur(),
          payment.getCardPresent(), payment.getCardholder().getHomeDistanceKm(), payment.getLocalHour(),
          payment.getMerchant().getCategory(), new float[] {payment.getVelocity().getLastHour(),
              payment.getVelocity().getLastDay(), payment.getVelocity().getLastWeek()});
      double direct = model.score(List.of(row)).get(0).byName().get("fraud_probability").firstAsDouble();
      assertEquals(direct, p.getOutputs().get("fraud_probability").getFloats().get(0));
      assertEquals(Map.of("fraud_probability", "DT_FLOAT", "risk_band", "DT_INT64", "decision", "DT_STRING"),
          Map.of("fraud_probability", p.getOutputs().get("fraud_probability").getDtype(),
              "risk_band", p.getOutputs().get("risk_band").getDtype(),
              "decision", p.getOutputs().get("decision").getDtype()));
      assertEquals("fraud", p.getModelName());
      assertEquals(1, p.getModelVersion());
    }
  }

  @Test
  void shouldConsumeTopicsThatMatchASourcePattern() throws Exception {
    StreamScoreConfig patterned = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers", "unused:9092",
        "source.mobile.topics", "", "source.mobile.topic.pattern", "payments\\.mobile-app\\..+"));
    FakeScorer scorer = new FakeScorer();
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ScoringTopology.build(SourceRegistry.create(patterned.sources(), scorer.model().signature()), scorer, patterned.outputTopic(), CLOCK),
        patterned.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      driver.createInputTopic("payments.mobile-app.eu", new ByteArraySerializer(), new ByteArraySerializer())
          .pipeInput(key("m-eu"), bytes(mobile(3).toByteBuffer()));
      driver.createInputTopic("payments.card-terminal", new ByteArraySerializer(), new ByteArraySerializer())
          .pipeInput(key("t"), bytes(terminal(4).toByteBuffer()));
      List<Prediction> out = output(driver, patterned.outputTopic()).readValuesToList().stream()
          .map(v -> decode(v)).toList();
      assertEquals(List.of("mobile", "terminal"), out.stream().map(Prediction::getSource).toList());
      assertEquals("payments.mobile-app.eu", out.get(0).getTopic());
    }
  }

  private static StreamScoreConfig withoutKey(StreamScoreConfig config) {
    Map<String, String> values = new java.util.TreeMap<>(ConfigLoader.read(Optional.empty()));
    values.remove("source.web.default.distance_km");
    values.put("bootstrap.servers", "unused:9092");
    return new StreamScoreConfig(values);
  }

  private TopologyTestDriver driver(Scorer scorer) {
    SourceRegistry sources = SourceRegistry.create(config.sources(), scorer.model().signature());
    return new TopologyTestDriver(ScoringTopology.build(sources, scorer, config.outputTopic(), CLOCK), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC));
  }

  private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver driver, String topic) {
    return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver driver, String topic) {
    return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Prediction decode(byte[] value) {
    try {
      return Prediction.fromByteBuffer(ByteBuffer.wrap(value));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  static CardTerminalPayment terminal(double amount) {
    return CardTerminalPayment.newBuilder().setTransactionId("tx").setTerminalId("T-1").setAmountEur(amount)
        .setMerchant(Merchant.newBuilder().setMerchantId("M-1").setCategory("electronics").setCountry("DE").build())
        .setCardholder(Cardholder.newBuilder().setAccountAgeDays(12).setHomeDistanceKm(30.5).build())
        .setCardPresent(false).setLocalHour(3)
        .setVelocity(CardVelocity.newBuilder().setLastHour(2).setLastDay(5).setLastWeek(9).build())
        .build();
  }

  static WebCheckoutPayment web(double total, Double shippingDistance) {
    return WebCheckoutPayment.newBuilder().setOrderId("o").setTotal(total).setMerchantCategoryCode("fashion")
        .setCheckoutHour(14).setCustomerAccountAgeDays(400).setRecentOrderCounts(List.of(0, 1, 3))
        .setShippingDistanceKm(shippingDistance).build();
  }

  static MobileAppPayment mobile(double amount) {
    return MobileAppPayment.newBuilder().setPaymentId("p").setDeviceId("d").setAmount(amount).setCategory(MobileCategory.grocery)
        .setNfcTap(true).setLocalHour(9).setUser(AppUser.newBuilder().setUserId("u").setAccountAgeDays(1000).build())
        .setDistanceFromHomeKm(1.5f).setTxCount1h(0).setTxCount24h(1).setTxCount7d(4).build();
  }
}
