package io.streamscore.bench;

import io.streamscore.config.StreamScoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * More sources than a configuration declares, for measuring many sources (the status quo of one
 * process per source at 12 sources, say) with only the demo's three schemas: copies of the
 * declared sources, in turn, named {@code <source>-2}, {@code <source>-3}, ..., each with all of
 * its original's keys. Pure: no I/O.
 */
final class SyntheticSources {
  private SyntheticSources() {}

  /**
   * {@code config} with {@code count} sources; the declared ones first. {@code count} at or below
   * the declared number returns the configuration unchanged (0 means "as declared").
   */
  static Map<String, String> expand(Map<String, String> config, int count) {
    List<String> declared = List.of(config.getOrDefault(StreamScoreConfig.SOURCES_CONFIG, "").split("\\s*,\\s*"));
    if (count <= declared.size()) {
      return config;
    }
    Map<String, String> expanded = new TreeMap<>(config);
    List<String> names = new ArrayList<>(declared);
    for (int i = declared.size(); i < count; i++) {
      String original = declared.get(i % declared.size());
      String copy = original + "-" + (i / declared.size() + 1);
      String prefix = "source." + original + ".";
      config.forEach((key, value) -> {
        if (key.startsWith(prefix)) {
          expanded.put("source." + copy + "." + key.substring(prefix.length()), value);
        }
      });
      names.add(copy);
    }
    expanded.put(StreamScoreConfig.SOURCES_CONFIG, String.join(",", names));
    return expanded;
  }
}
