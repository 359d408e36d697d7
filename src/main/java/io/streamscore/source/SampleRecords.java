package io.streamscore.source;

import io.streamscore.model.FeatureRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * A source's sample records ({@code source.<name>.warmup.records}): real records a model version is
 * warmed up with, so that no input is fed a value StreamScore made up.
 *
 * <p>Each line is one JSON object in the form {@code publish --json-lines} takes. It is encoded with
 * the source's reader schema, then decoded and mapped by the source's own decoder and mapping, so
 * every input is fed as real traffic will feed it, and the decode and map code is run before the
 * first real record.
 */
public final class SampleRecords {
  /** More lines than this are refused: warm-up runs on every version load, and a few records per source suffice. */
  public static final int MAX_RECORDS = 10_000;

  private SampleRecords() {}

  /**
   * The source's sample records as feature rows; empty when it has none.
   *
   * @throws ConfigException naming the key, the file and the line, for a line that does not fit
   *     the schema or the mapping, or a file that cannot be read
   */
  public static List<FeatureRow> rows(InputSource source) {
    return read(source).stream().map(Sample::row).toList();
  }

  /** The source's sample records as the bytes a producer would send (single-object encoding), each checked as {@link #rows} does. */
  public static List<byte[]> values(InputSource source) {
    return read(source).stream().map(Sample::value).toList();
  }

  private record Sample(byte[] value, FeatureRow row) {}

  private static List<Sample> read(InputSource source) {
    if (source.definition().warmupRecords().isEmpty()) {
      return List.of();
    }
    Path file = source.definition().warmupRecords().get();
    String key = "source." + source.name() + ".warmup.records";
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(key, file.toString(), "cannot read the sample records: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new ConfigException(key, file.toString(), "cannot read the sample records: " + e.getCause().getMessage());
    }
    JsonRecords json = new JsonRecords(source.decoder().readerSchema());
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (samples.size() == MAX_RECORDS) {
        throw new ConfigException(key, file.toString(), "more than " + MAX_RECORDS + " sample records; a few per source suffice");
      }
      try {
        byte[] value = json.encode(line);
        samples.add(new Sample(value, source.toFeatures(value)));
      } catch (IllegalArgumentException | RecordDecodingException | FeatureMappingException e) {
        throw new ConfigException(key, file.toString(), "line " + (i + 1) + " is not a record of "
            + source.decoder().readerSchema().getFullName() + " that source '" + source.name() + "' can map: " + e.getMessage());
      }
    }
    if (samples.isEmpty()) {
      throw new ConfigException(key, file.toString(), "the file holds no sample record; give one JSON object a line, or remove the key");
    }
    return List.copyOf(samples);
  }
}
