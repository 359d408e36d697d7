package io.streamscore.shadow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.ScoringException;
import io.streamscore.prediction.Prediction;
import io.streamscore.support.FakeScorer;
import io.streamscore.topology.ShadowSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Shadow scoring in isolation, with Kafka's MockProducer standing in for the shadow topic (the
 * end-to-end path runs against a real broker in ShadowScoringIntegrationTest).
 */
class ShadowScoringTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  private static FeatureRow row(float amount) {
    return new FeatureRow(30L, amount, true, 1.0, 12, "grocery", new float[] {0, 1, 2});
  }

  private static ShadowSink.Lineage lineage(long offset) {
    return new ShadowSink.Lineage("web", "payments.web-checkout", 1, offset, 1_000 + offset);
  }

  /** A FakeScorer whose calls wait until {@code gate} opens, as a slow or stuck candidate would. */
  private static Scorer waitingFor(CountDownLatch gate) {
    FakeScorer fake = new FakeScorer();
    return new Scorer() {
      @Override
      public ModelDescription model() {
        return fake.model();
      }

      @Override
      public List<ScoredRow> score(List<FeatureRow> rows) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return fake.score(rows);
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void shouldWriteTheCandidatesPredictionWithTheInputsKeyAndLineage() throws Exception {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    ShadowScoring shadow = new ShadowScoring(new FakeScorer(), producer, "scores.shadow", 100, CLOCK);
    for (int i = 0; i < 3; i++) {
      shadow.offer(("k" + i).getBytes(StandardCharsets.UTF_8), row(10f + i), lineage(i));
    }
    shadow.close();
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertEquals(3, sent.size());
    assertEquals(3, shadow.scored());
    for (int i = 0; i < 3; i++) {
      ProducerRecord<byte[], byte[]> record = sent.get(i);
      assertEquals("scores.shadow", record.topic());
      assertArrayEquals(("k" + i).getBytes(StandardCharsets.UTF_8), record.key());
      Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
      assertEquals("payments.web-checkout", p.getTopic());
      assertEquals(1, p.getPartition());
      assertEquals(i, p.getOffset());
      assertEquals(42, p.getModelVersion(), "the candidate's version");
      assertEquals(List.of(10.0 + i), p.getOutputs().get("amount_echo").getFloats());
    }
  }

  @Test
  void shouldCountAFailingCandidateWithoutThrowingIntoThePrimaryPath() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    Scorer failing = new Scorer() {
      private final FakeScorer fake = new FakeScorer();

      @Override
      public ModelDescription model() {
        return fake.model();
      }

      @Override
      public List<ScoredRow> score(List<FeatureRow> rows) {
        throw new ScoringException("candidate broken");
      }

      @Override
      public void close() {}
    };
    ShadowScoring shadow = new ShadowScoring(failing, producer, "scores.shadow", 100, CLOCK);
    for (int i = 0; i < 10; i++) {
      shadow.offer(new byte[] {(byte) i}, row(i), lineage(i));
    }
    shadow.close();
    assertEquals(10, shadow.failed());
    assertEquals(0, shadow.scored());
    assertTrue(producer.history().isEmpty());
  }

  @Test
  void shouldIsolateTheOneRecordThatFailsABatchAndScoreTheOthers() throws Exception {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    CountDownLatch queued = new CountDownLatch(1);
    // Hold the first call until every record is queued, so they form one batch; FakeScorer refuses
    // FAILING_AMOUNT, failing the whole call.
    Scorer gated = waitingFor(queued);
    ShadowScoring shadow = new ShadowScoring(gated, producer, "scores.shadow", 100, CLOCK);
    for (int i = 0; i < 6; i++) {
      shadow.offer(new byte[] {(byte) i}, row(i == 3 ? FakeScorer.FAILING_AMOUNT : i), lineage(i));
    }
    queued.countDown();
    shadow.close();
    assertEquals(1, shadow.failed(), "only the bad record failed");
    assertEquals(5, shadow.scored());
    assertEquals(5, producer.history().size());
  }

  @Test
  void shouldDropRecordsRatherThanWaitWhenTheCandidateFallsBehind() throws Exception {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    CountDownLatch release = new CountDownLatch(1);
    Scorer stuck = waitingFor(release);
    ShadowScoring shadow = new ShadowScoring(stuck, producer, "scores.shadow", 2, CLOCK);
    for (int i = 0; i < 10; i++) {
      shadow.offer(new byte[] {(byte) i}, row(i), lineage(i));
    }
    // With the candidate stuck, at most the queue (2) and one batch in the worker (1) are held.
    assertTrue(shadow.dropped() >= 7, "dropped " + shadow.dropped());
    release.countDown();
    shadow.close();
    assertEquals(10, shadow.scored() + shadow.dropped(), "every offered record is either shadow-scored or counted as dropped");
  }
}
