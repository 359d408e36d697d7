package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelManager;
import io.streamscore.model.WarmupReport;
import io.streamscore.prediction.Prediction;
import io.streamscore.source.JsonRecords;
import io.streamscore.source.SchemaFiles;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.TestModels;
import io.streamscore.topology.ScoringListener;
import io.streamscore.topology.ShadowSink;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's own schema and a model that rejects made-up values (an exact vocabulary feeding an
 * embedding, as a Python Estimator exports it), configured as a new user would: it starts with
 * default settings and scores their records; with sample records it is warmed without a warning.
 */
class StrangersModelScoringTest {
  private static final String SCHEMA = """
      {"type": "record", "name": "Purchase", "namespace": "com.example.shop", "fields": [
        {"name": "purchase_id", "type": "string"},
        {"name": "product_category", "type": "string"},
        {"name": "price", "type": "float"}]}
      """;

  @TempDir
  Path temp;

  private StreamScoreConfig config(String... extra) throws Exception {
    TestModels.vocabularyEmbedding(temp.resolve("shop-model"), 1, "books", "garden");
    Path schema = Files.writeString(temp.resolve("Purchase.avsc"), SCHEMA);
    StringBuilder properties = new StringBuilder("""
        bootstrap.servers=unused:9092
        model.path=%s
        sources=shop
        source.shop.topics=shop.purchases
        source.shop.schema=%s
        source.shop.input.category=product_category
        source.shop.input.amount=price
        """.formatted(temp.resolve("shop-model"), schema));
    for (String line : extra) {
      properties.append(line).append('\n');
    }
    Path file = Files.writeString(temp.resolve("streamscore.properties"), properties);
    return ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
  }

  private static List<Double> score(StreamScoreConfig config, ModelManager model, String... jsonRecords) {
    SourceRegistry sources = SourceRegistry.create(config.sources(), model.model().signature());
    JsonRecords json = new JsonRecords(SchemaFiles.read("schema", config.sources().get(0).schema()));
    try (TopologyTestDriver driver = new TopologyTestDriver(
        StreamScoreService.topology(config, sources, model, ShadowSink.NONE, ScoringListener.NONE), config.streamsProperties("unused:9092", io.streamscore.config.GroupProtocol.CLASSIC))) {
      TestInputTopic<byte[], byte[]> input = driver.createInputTopic("shop.purchases", new ByteArraySerializer(), new ByteArraySerializer());
      for (String record : jsonRecords) {
        input.pipeInput(json.encode(record));
      }
      // Past any batching flush interval, so every pending record is scored.
      driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
      return driver.createOutputTopic(config.outputTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .readValuesToList().stream()
          .map(v -> decode(v).getOutputs().get("score").getFloats().get(0))
          .toList();
    }
  }

  private static Prediction decode(byte[] value) {
    try {
      return Prediction.fromByteBuffer(ByteBuffer.wrap(value));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldStartWithDefaultSettingsAndScoreRealRecordsOfAModelThatRejectsPlaceholders() throws Exception {
    StreamScoreConfig config = config();
    try (ModelManager model = ModelManager.start(StreamScoreService.modelOptions(config))) {
      WarmupReport warmup = model.initialWarmup();
      assertEquals(WarmupReport.RowsFrom.PLACEHOLDERS, warmup.rowsFrom());
      assertTrue(warmup.placeholdersRejected().orElseThrow().contains("input 'category'"), warmup.placeholdersRejected().get());
      assertEquals(1, model.placeholderWarmupRejections());

      List<Double> scores = score(config, model,
          "{\"purchase_id\": \"p-1\", \"product_category\": \"garden\", \"price\": 3.5}",
          "{\"purchase_id\": \"p-2\", \"product_category\": \"books\", \"price\": 12.0}");
      assertEquals(List.of(23.5, 22.0), scores, "garden is the 2nd word (20), books the 1st (10), plus the price");
    }
  }

  @Test
  void shouldWarmUpWithTheSourcesSampleRecordsWithoutAWarning() throws Exception {
    Path samples = Files.writeString(temp.resolve("shop-samples.jsonl"), """
        {"purchase_id": "s-1", "product_category": "books", "price": 9.99}
        {"purchase_id": "s-2", "product_category": "garden", "price": 45.0}
        """);
    StreamScoreConfig config = config("source.shop.warmup.records=" + samples);
    try (ModelManager model = ModelManager.start(StreamScoreService.modelOptions(config))) {
      WarmupReport warmup = model.initialWarmup();
      assertEquals(WarmupReport.RowsFrom.SAMPLE_RECORDS, warmup.rowsFrom());
      assertTrue(warmup.placeholdersRejected().isEmpty(), () -> warmup.placeholdersRejected().get());
      assertEquals(0, model.placeholderWarmupRejections());
      assertEquals(List.of(13.5), score(config, model, "{\"purchase_id\": \"p-1\", \"product_category\": \"books\", \"price\": 3.5}"));
    }
  }
}
