package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamscore.config.SourceDefinition;
import io.streamscore.source.SourceRegistry;
import io.streamscore.support.DemoSources;
import io.streamscore.support.FakeScorer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HotPathWarmupTest {
  @Test
  void shouldRunTheSampleRecordsThroughDecodeMapScoreAndEncodeInBatches() {
    FakeScorer scorer = new FakeScorer();
    SourceRegistry sources = SourceRegistry.create(DemoSources.all(), scorer.model().signature());

    HotPathWarmup.Report report = HotPathWarmup.run(sources, scorer, 64);

    assertEquals(HotPathWarmup.RECORDS, report.records());
    assertEquals((HotPathWarmup.RECORDS + 63) / 64, scorer.calls(), "one model call per batch of 64");
  }

  @Test
  void shouldDoNothingWithoutSampleRecords() {
    FakeScorer scorer = new FakeScorer();
    List<SourceDefinition> withoutSamples = DemoSources.all().stream().map(d -> new SourceDefinition(d.name(), d.topics(),
        d.topicPattern(), d.schema(), d.writerSchemas(), d.bindings(), Optional.empty())).toList();

    HotPathWarmup.Report report = HotPathWarmup.run(SourceRegistry.create(withoutSamples, scorer.model().signature()), scorer, 64);

    assertEquals(0, report.records());
    assertEquals(0, scorer.calls());
  }
}
