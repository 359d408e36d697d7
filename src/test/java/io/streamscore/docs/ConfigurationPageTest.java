package io.streamscore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigReference;
import io.streamscore.config.StreamScoreConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the code's own reference: its key table is what the ConfigDef renders, and it lists every per-source key. */
class ConfigurationPageTest {
  static final Path PAGE = Path.of("docs", "configuration.md");
  static final String REGENERATE = "mvn -B -q package -DskipTests && java -jar target/streamscore.jar config-reference --update docs/configuration.md";

  @Test
  void shouldHoldWhatTheConfigDefRendersWhenCommitted() throws Exception {
    String page = Files.readString(PAGE);
    assertEquals(ConfigReference.table(), ConfigReference.tableIn(page),
        PAGE + "'s key table is not what StreamScoreConfig's ConfigDef renders; regenerate it with: " + REGENERATE);
  }

  @Test
  void shouldListEveryPerSourceKeyWhenTheCodeAcceptsIt() throws Exception {
    String page = Files.readString(PAGE);
    List<String> missing = new ArrayList<>();
    int found = 0;
    for (Field field : StreamScoreConfig.class.getFields()) {
      if (!field.getName().startsWith("SOURCE_") || field.getName().equals("SOURCE_PREFIX") || !Modifier.isStatic(field.getModifiers())
          || field.getType() != String.class) {
        continue;
      }
      found++;
      String suffix = (String) field.get(null);
      // A prefix (input., default. ...) is documented with its placeholder: `source.<s>.input.<input>`.
      String documented = "| `" + StreamScoreConfig.SOURCE_PREFIX + "<s>." + suffix + (suffix.endsWith(".") ? "<" : "`");
      if (!page.contains(documented)) {
        missing.add(documented);
      }
    }
    assertTrue(found >= 10, "per-source key constants found in StreamScoreConfig: " + found);
    assertEquals(List.of(), missing, PAGE + "'s per-source table lacks rows for keys the code parses (StreamScoreConfig.SOURCE_*)");
  }
}
