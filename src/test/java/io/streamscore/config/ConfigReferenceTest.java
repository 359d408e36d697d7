package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  private static final ConfigDef DEF = new ConfigDef()
      .define("threads", Type.INT, 7, ConfigDef.Range.between(1, 64), Importance.MEDIUM, "Threads | per JVM.\nSecond line <here>.")
      .define("secret.password", Type.PASSWORD, "hunter2", Importance.LOW, "A password.")
      .define("names", Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Names.")
      .define("empty.string", Type.STRING, "", Importance.HIGH, "Nothing by default.");

  @Test
  void shouldRenderAMachineDependentDefaultInWordsWhenGiven() {
    String table = ConfigReference.table(DEF, Map.of("threads", "available processors"));
    String row = row(table, "threads");
    assertTrue(row.contains("| available processors |"), row);
    assertFalse(row.contains("| `7` |"), row);
  }

  @Test
  void shouldShowNoDefaultWhenTheKeyIsAPassword() {
    String row = row(ConfigReference.table(DEF, Map.of()), "secret.password");
    assertFalse(row.contains("hunter2"), row);
    assertTrue(row.contains("| `STREAMSCORE_SECRET_PASSWORD` | password |  |"), row);
  }

  @Test
  void shouldPutRequiredKeysFirstThenSortByImportanceAndName() {
    List<String> rows = ConfigReference.table(DEF, Map.of()).lines().skip(2).toList();
    assertEquals(List.of("names", "empty.string", "threads", "secret.password"),
        rows.stream().map(r -> r.substring(3, r.indexOf('`', 3))).toList());
    assertTrue(rows.get(0).contains("| required |"), rows.get(0));
    assertTrue(rows.get(1).contains("| empty |"), rows.get(1));
  }

  @Test
  void shouldKeepEachRowOnOneLineWhenADocHasPipesNewlinesOrAngleBrackets() {
    String row = row(ConfigReference.table(DEF, Map.of()), "threads");
    assertTrue(row.endsWith("| Threads \\| per JVM. Second line &lt;here&gt;. |"), row);
    assertTrue(row.contains("| `7` | [1,...,64] | medium |"), row);
  }

  @Test
  void shouldReplaceOnlyTheGeneratedRegionWhenUpdatingAPage() {
    String page = "# Title\nprose\n" + ConfigReference.BEGIN + "\nold table\n" + ConfigReference.END + "\nmore prose\n";
    String updated = ConfigReference.replaceTable(page, "new table\n");
    assertEquals("# Title\nprose\n" + ConfigReference.BEGIN + "\nnew table\n" + ConfigReference.END + "\nmore prose\n", updated);
    assertEquals("new table\n", ConfigReference.tableIn(updated));
    assertThrows(IllegalArgumentException.class, () -> ConfigReference.replaceTable("# no markers\n", "t\n"));
  }

  @Test
  void shouldRenderStreamScoresThreadCountInWordsNotThisMachinesNumber() {
    String row = row(ConfigReference.table(), StreamScoreConfig.NUM_STREAM_THREADS_CONFIG);
    assertTrue(row.contains("| available processors |"), row);
    for (String key : StreamScoreConfig.configDef().names()) {
      assertTrue(ConfigReference.table().contains("| `" + key + "` | `" + StreamScoreConfig.environmentVariableFor(key) + "` |"), key);
    }
  }

  private static String row(String table, String key) {
    return table.lines().filter(l -> l.startsWith("| `" + key + "` |")).findFirst().orElseThrow(() -> new AssertionError(key + " in\n" + table));
  }
}
