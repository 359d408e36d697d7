package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.FeatureRow;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.DemoSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleRecordsTest {
  @TempDir
  Path temp;

  private static InputSource source(SourceDefinition definition) {
    return InputSource.create(definition, DemoSignatures.fraudModel());
  }

  private static SourceDefinition withSamples(SourceDefinition d, Path file) {
    return new SourceDefinition(d.name(), d.topics(), d.topicPattern(), d.schema(), d.writerSchemas(), d.bindings(), Optional.of(file));
  }

  @Test
  void shouldMapEveryShippedDemoSampleThroughItsSourcesOwnMapping() {
    for (SourceDefinition definition : DemoSources.all()) {
      assertTrue(definition.warmupRecords().isPresent(), "the demo configuration gives " + definition.name() + " sample records");
      List<FeatureRow> rows = SampleRecords.rows(source(definition));
      assertEquals(4, rows.size(), definition.name());
    }
  }

  @Test
  void shouldFeedTheValuesOfTheSampleAsTheMappingReadsThem() throws Exception {
    Path file = Files.writeString(temp.resolve("web.jsonl"), """
        {"order_id":"o-1","total":129.0,"merchant_category_code":"electronics","checkout_hour":3,"customer_account_age_days":4,"recent_order_counts":[2,5,9],"shipping_distance_km":420.0}

        {"order_id":"o-2","total":5.0,"merchant_category_code":"fuel","checkout_hour":7,"customer_account_age_days":9,"recent_order_counts":[0,0,1]}
        """);
    List<FeatureRow> rows = SampleRecords.rows(source(withSamples(DemoSources.named("web"), file)));
    assertEquals(2, rows.size(), "the blank line is skipped");
    List<String> inputs = DemoSignatures.fraudModel().inputs().stream().map(i -> i.name()).toList();
    FeatureRow first = rows.get(0);
    assertEquals(129.0f, first.value(inputs.indexOf("amount")));
    assertEquals("electronics", first.value(inputs.indexOf("merchant_category")));
    assertEquals(false, first.value(inputs.indexOf("card_present")), "the source's constant applies to samples too");
    assertEquals(0.0, rows.get(1).value(inputs.indexOf("distance_km")), "an absent optional field takes the configured default");
  }

  @Test
  void shouldNameTheKeyTheFileAndTheLineOfASampleThatDoesNotFitTheSchema() throws Exception {
    Path file = Files.writeString(temp.resolve("web.jsonl"), """
        {"order_id":"o-1","total":129.0,"merchant_category_code":"electronics","checkout_hour":3,"customer_account_age_days":4,"recent_order_counts":[2,5,9]}
        {"order_id":"o-2","total":"lots","merchant_category_code":"fuel","checkout_hour":7,"customer_account_age_days":9,"recent_order_counts":[0,0,1]}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> SampleRecords.rows(source(withSamples(DemoSources.named("web"), file))));
    assertTrue(e.getMessage().contains("source.web.warmup.records"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("total"), "the field at fault is named: " + e.getMessage());
  }

  @Test
  void shouldRefuseAnEmptySampleFile() throws Exception {
    Path file = Files.writeString(temp.resolve("empty.jsonl"), "\n\n");
    ConfigException e = assertThrows(ConfigException.class, () -> SampleRecords.rows(source(withSamples(DemoSources.named("web"), file))));
    assertTrue(e.getMessage().contains("no sample record"), e.getMessage());
  }

  @Test
  void shouldStopStartUpWhenTheSampleFileIsMissing() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
        Map.of(StreamScoreConfig.SOURCE_PREFIX + "web." + StreamScoreConfig.SOURCE_WARMUP_RECORDS, "no/such/samples.jsonl")));
    assertTrue(e.getMessage().contains("source.web.warmup.records"), e.getMessage());
    assertTrue(e.getMessage().contains("no readable file"), e.getMessage());
  }
}
