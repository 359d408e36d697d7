package io.streamscore.model;

import java.util.List;

/**
 * Rows a version is warmed up with, besides its own TensorFlow Serving warm-up file. Immutable.
 *
 * <p>The two kinds are trusted differently. Sample records are real traffic, decoded and mapped by
 * the sources' own mappings: a version that fails them would fail real records too, so it is
 * refused. Placeholder rows are values StreamScore made up from a mapping or a signature alone: a
 * model may rightly reject them (a vocabulary that maps an unknown string to -1, then an embedding
 * lookup), so their failure is a warning, never a refusal.
 *
 * @param sampleRecords rows of the sources' configured sample records ({@code
 *     source.<name>.warmup.records}); empty when none are configured
 * @param placeholders rows of made-up values, one per source; empty to let the signature alone
 *     decide them
 */
public record WarmupRows(List<FeatureRow> sampleRecords, List<FeatureRow> placeholders) {
  public static final WarmupRows NONE = new WarmupRows(List.of(), List.of());

  public WarmupRows {
    sampleRecords = List.copyOf(sampleRecords);
    placeholders = List.copyOf(placeholders);
  }
}
