package io.streamscore.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders StreamScore's {@link ConfigDef} as the Markdown key table of {@code docs/configuration.md}:
 * name, environment variable, type, default, valid values, importance and documentation, in the
 * order of Kafka's own reference ({@code ConfigDef.toHtml()}: required keys, then by importance,
 * then by name).
 *
 * <p>The committed page holds the table between {@link #BEGIN} and {@link #END}; {@link
 * #replaceTable} rewrites only that region, so the prose around it stays hand-written. The output
 * depends on the code alone, never on the machine: a default computed at run time is rendered in
 * words ({@link StreamScoreConfig#defaultInWords}), and a password has no default to show.
 *
 * <p>Stateless; thread-safe.
 */
public final class ConfigReference {
  public static final String BEGIN = "<!-- BEGIN GENERATED: configuration keys (streamscore config-reference) -->";
  public static final String END = "<!-- END GENERATED: configuration keys -->";

  private ConfigReference() {}

  /** The key table of {@code definition}, one row per key, ending with a newline. */
  public static String table(ConfigDef definition, Map<String, String> defaultsInWords) {
    List<ConfigDef.ConfigKey> keys = new ArrayList<>(definition.configKeys().values());
    keys.sort(Comparator.comparing((ConfigDef.ConfigKey k) -> k.hasDefault())
        .thenComparing(k -> k.importance)
        .thenComparing(k -> k.name));
    StringBuilder out = new StringBuilder();
    out.append("| key | environment variable | type | default | valid values | importance | description |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : keys) {
      out.append("| `").append(key.name).append("` | `").append(StreamScoreConfig.environmentVariableFor(key.name)).append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(defaultOf(key, defaultsInWords)).append(" | ")
          .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
          .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(cell(key.documentation)).append(" |\n");
    }
    return out.toString();
  }

  /** StreamScore's own table. */
  public static String table() {
    return table(StreamScoreConfig.configDef(), StreamScoreConfig.defaultsInWords());
  }

  /**
   * {@code page} with the region between the markers replaced by {@code table}.
   *
   * @throws IllegalArgumentException when the page lacks the markers, in order
   */
  public static String replaceTable(String page, String table) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the page has no generated region: put the lines " + BEGIN + " and " + END
          + " where the key table goes");
    }
    return page.substring(0, begin + BEGIN.length()) + "\n" + table + page.substring(end);
  }

  /**
   * The table the page holds now, as {@link #table} renders it.
   *
   * @throws IllegalArgumentException when the page lacks the markers
   */
  public static String tableIn(String page) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the page has no generated region between " + BEGIN + " and " + END);
    }
    return page.substring(begin + BEGIN.length() + 1, end);
  }

  private static String defaultOf(ConfigDef.ConfigKey key, Map<String, String> defaultsInWords) {
    if (!key.hasDefault()) {
      return "required";
    }
    if (defaultsInWords.containsKey(key.name)) {
      return cell(defaultsInWords.get(key.name));
    }
    if (key.type == ConfigDef.Type.PASSWORD || key.defaultValue == null) {
      return "";
    }
    Object value = key.defaultValue;
    String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value);
    return text.isEmpty() ? "empty" : "`" + text.replace("|", "\\|") + "`";
  }

  /** Text as one Markdown table cell: no line breaks, no column separators, no HTML. */
  private static String cell(String text) {
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}
