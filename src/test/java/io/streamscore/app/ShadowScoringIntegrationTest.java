package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.ModelDirectories;
import io.streamscore.support.TestModels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A candidate version scores live traffic beside the primary, into its own topic, with the same lineage. */
class ShadowScoringIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  @TempDir
  Path temp;

  @Test
  void shouldWriteACandidatePredictionBesideEveryPrimaryPrediction() throws Exception {
    String run = RunSettings.newRun();
    Path candidate = temp.resolve("fraud-candidate");
    ModelDirectories.addVersion(TestModels.demoModel().resolve("1"), java.nio.file.Files.createDirectories(candidate), 2);
    Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "shadow", run);
    settings.put("num.stream.threads", "2");
    settings.put("shadow.model.path", candidate.toString());
    settings.put("shadow.queue.capacity", "100000");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);
    int perSource = 700;
    try (StreamScoreService service = StreamScoreService.start(config)) {
      try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
        for (var source : config.sources()) {
          SyntheticRecords.Generator generator = SyntheticRecords.forSchema(SchemaFiles.read("schema", source.schema()), 3, 0.1).orElseThrow();
          for (int i = 0; i < perSource; i++) {
            SyntheticRecords.KeyedBytes record = generator.next();
            producer.send(new ProducerRecord<>(source.topics().get(0), record.key(), record.value()));
          }
        }
      }
      int total = 3 * perSource;
      Map<String, Prediction> primary = new HashMap<>();
      Map<String, Prediction> shadow = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.consumer(config.outputTopic(), config.shadowTopic())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while ((primary.size() < total || shadow.size() < total) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            Prediction p = Prediction.fromByteBuffer(ByteBuffer.wrap(record.value()));
            String input = p.getTopic() + "/" + p.getPartition() + "@" + p.getOffset();
            (record.topic().equals(config.outputTopic()) ? primary : shadow).put(input, p);
          }
        }
      }
      assertEquals(total, primary.size());
      assertEquals(primary.keySet(), shadow.keySet(), "every primary prediction has its shadow, by lineage");
      for (String input : primary.keySet()) {
        assertEquals(1, primary.get(input).getModelVersion());
        assertEquals(2, shadow.get(input).getModelVersion());
        double a = primary.get(input).getOutputs().get("fraud_probability").getFloats().get(0);
        double b = shadow.get(input).getOutputs().get("fraud_probability").getFloats().get(0);
        // Same weights; the shadow scores in batches, which may change the last bits.
        assertEquals(a, b, 1e-6, input);
      }
      assertEquals(0, service.shadowScoring().orElseThrow().dropped());
      assertTrue(service.shadowScoring().orElseThrow().scored() >= total);
    }
  }

}
