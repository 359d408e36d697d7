package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamscore.config.SourceDefinition;
import io.streamscore.model.FeatureRow;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.FuzzFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Any file named by {@code source.<s>.warmup.records} (the first byte picks the demo source; the
 * rest is the file's content, written to one scratch file per run).
 *
 * <p>Contract: {@link SampleRecords#rows} returns one feature row per sample record, or throws
 * {@link ConfigException} naming the key: start-up stops with that message. Never another
 * exception or a hang.
 */
class SampleRecordsFuzzTest {
  private static final SourceRegistry SOURCES = FuzzFixtures.demoSources(Optional.empty());
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    try {
      Path file = Files.createTempFile("streamscore-fuzz-samples", ".jsonl");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void shouldReadAnySampleFileAsRowsOrStopStartUpWithAConfigException(byte[] data) throws IOException {
    InputSource demo = FuzzFixtures.pick(SOURCES, data);
    Files.write(FILE, FuzzFixtures.rest(data));
    SourceDefinition d = demo.definition();
    SourceDefinition withSamples = new SourceDefinition(d.name(), d.topics(), d.topicPattern(), d.schema(), d.writerSchemas(),
        d.bindings(), Optional.of(FILE));
    InputSource source = new InputSource(withSamples, demo.decoder(), demo.mapper());
    try {
      List<FeatureRow> rows = SampleRecords.rows(source);
      assertFalse(rows.isEmpty());
      rows.forEach(row -> assertEquals(DemoSignatures.fraudModel().inputs().size(), row.size()));
    } catch (ConfigException rejected) {
      FuzzFixtures.assertHasReason(rejected);
    }
  }
}
