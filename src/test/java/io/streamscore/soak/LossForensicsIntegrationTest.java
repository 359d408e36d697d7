package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.prediction.Prediction;
import io.streamscore.support.EmbeddedKafka;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The soak's account of a lost input tells a scored-then-aborted input from one never scored, against a real broker. */
class LossForensicsIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  @Test
  void tellsAnInputWhosePredictionWasAbortedFromOneNeverScored() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("in", 1, (short) 1), new NewTopic("out", 1, (short) 1))).all().get();
      try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
        producer.send(new ProducerRecord<>("in", 0, null, new byte[] {1})).get();
        producer.send(new ProducerRecord<>("in", 0, null, new byte[] {2})).get();
      }
      // The prediction of in/0@0 written in a transaction that aborts; none for in/0@1; the offset past both.
      try (KafkaProducer<byte[], byte[]> transactional = transactional()) {
        transactional.initTransactions();
        transactional.beginTransaction();
        transactional.send(new ProducerRecord<>("out", prediction(0).toByteBuffer().array())).get();
        transactional.abortTransaction();
      }
      admin.alterConsumerGroupOffsets("app", Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(2))).all().get();
    }

    List<String> lines = LossForensics.explain(KAFKA.bootstrapServers(), "app", "out",
        List.of(new InputId("in", 0, 1), new InputId("in", 0, 0)));

    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("in/0@0: the input is in its partition") && lines.get(0).contains("1 prediction(s) written in aborted")
        && lines.get(0).contains("committed offset for in-0 is now 2"), lines.get(0));
    assertTrue(lines.get(1).startsWith("in/0@1: the input is in its partition") && lines.get(1).contains("no prediction was ever written")
        && lines.get(1).contains("committed offset for in-0 is now 2"), lines.get(1));
  }

  private static KafkaProducer<byte[], byte[]> transactional() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "forensics-test");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Prediction prediction(long offset) throws Exception {
    return Prediction.newBuilder().setSource("s").setTopic("in").setPartition(0).setOffset(offset).setEventTimestamp(Instant.EPOCH)
        .setModelName("m").setModelVersion(1).setOutputs(Map.of()).setScoredAt(Instant.EPOCH).setScoringMicros(1).build();
  }
}
