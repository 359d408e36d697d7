package io.streamscore.app;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.source.InputSource;
import io.streamscore.source.SampleRecords;
import io.streamscore.source.SourceRegistry;
import io.streamscore.topology.PredictionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the per-record path of the topology (decode, map, score, build and encode the prediction) on
 * the sources' sample records, over and over, before Kafka Streams starts: so that the JIT has
 * compiled that path before the first real record, instead of the first records running it
 * interpreted while the compiler threads take the cores.
 *
 * <p>It touches nothing outside the process: the encoded predictions are discarded. Without
 * sample records there is nothing real to run, and it does nothing.
 */
public final class HotPathWarmup {
  /**
   * Records run through the path: past HotSpot's tier-4 (C2) compile threshold of about 15,000
   * invocations for the per-record methods, at a cost of a few hundred milliseconds.
   */
  static final int RECORDS = 20_000;

  private HotPathWarmup() {}

  /** What the warm-up did: records run through the path, and how long it took. */
  public record Report(int records, Duration took) {}

  /** @param batchSize records per model call, as the topology batches them */
  public static Report run(SourceRegistry sources, Scorer scorer, int batchSize) {
    return run(sources, scorer, batchSize, PredictionEncoder.singleObject());
  }

  /** @param encoder the output format predictions are encoded in (output.format) */
  public static Report run(SourceRegistry sources, Scorer scorer, int batchSize, PredictionEncoder encoder) {
    List<InputSource> owners = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (InputSource source : sources.sources()) {
      for (byte[] value : SampleRecords.values(source)) {
        owners.add(source);
        values.add(value);
      }
    }
    if (values.isEmpty()) {
      return new Report(0, Duration.ZERO);
    }
    long start = System.nanoTime();
    int batch = Math.max(1, batchSize);
    List<FeatureRow> rows = new ArrayList<>(batch);
    List<InputSource> rowSources = new ArrayList<>(batch);
    long sink = 0;
    for (int i = 0; i < RECORDS; i++) {
      int k = i % values.size();
      rows.add(sources.toFeatures(owners.get(k), values.get(k)));
      rowSources.add(owners.get(k));
      if (rows.size() == batch || i == RECORDS - 1) {
        List<ScoredRow> scored = scorer.score(rows);
        for (int r = 0; r < scored.size(); r++) {
          String source = rowSources.get(r).name();
          sink += encoder.encode(PredictionFactory.create(source, source, 0, i, 0L, scorer.model().name(), scored.get(r),
              Instant.EPOCH)).length;
        }
        rows.clear();
        rowSources.clear();
      }
    }
    if (sink == 0) {
      throw new IllegalStateException("no prediction was encoded during the hot-path warm-up");
    }
    return new Report(RECORDS, Duration.ofNanos(System.nanoTime() - start));
  }
}
