package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.StreamScoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README promises are checked against what the code and CI actually do. */
class ReadmeTest {
  private static final Path README = Path.of("README.md");

  @Test
  void shouldOpenWithATwoLineQuickStartWhoseSecondLineIsWhatCiRuns() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("## Quick start");
    int open = readme.indexOf("```sh\n", start) + "```sh\n".length();
    List<String> lines = readme.substring(open, readme.indexOf("```", open)).lines().toList();
    assertEquals(2, lines.size(), "Quick start has exactly two lines: " + lines);
    assertTrue(lines.get(0).contains("demo"), lines.get(0));
    List<String> ci = Files.readAllLines(Path.of(".ci", "run")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")
        && !l.startsWith("set ") && !l.startsWith("cd ")).toList();
    assertEquals(List.of(lines.get(1)), ci, ".ci/run runs exactly README's test command");
  }

  @Test
  void shouldDocumentEveryConfigurationKey() throws Exception {
    String readme = Files.readString(README);
    for (String key : StreamScoreConfig.configDef().names()) {
      assertTrue(readme.contains("| `" + key + "` |"), "README's configuration reference lacks " + key);
    }
  }
}
