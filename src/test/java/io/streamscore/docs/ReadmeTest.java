package io.streamscore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's promises: short, its Quick start is what CI runs, and it leads to every page under docs/. */
class ReadmeTest {
  /** The issue's bound: a front page read in five minutes. */
  private static final int MOST_LINES = 150;

  @Test
  void shouldOpenWithATwoLineQuickStartWhoseSecondLineIsWhatCiRuns() throws Exception {
    String readme = Files.readString(DocPages.README);
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
  void shouldBeReadInFiveMinutesWhenOpened() {
    int lines = DocPages.lines(DocPages.README).size();
    assertTrue(lines <= MOST_LINES, "README.md has " + lines + " lines, more than " + MOST_LINES
        + ": move the detail into a page under docs/ and link it");
  }

  @Test
  void shouldLinkEveryPageUnderDocsWhenRead() throws Exception {
    String readme = Files.readString(DocPages.README);
    try (Stream<Path> pages = Files.list(DocPages.DOCS)) {
      List<String> unlinked = pages.map(p -> "docs/" + p.getFileName()).filter(p -> p.endsWith(".md"))
          .filter(p -> !readme.contains("](" + p + ")")).sorted().toList();
      assertEquals(List.of(), unlinked, "pages under docs/ that README's table does not link");
    }
  }
}
