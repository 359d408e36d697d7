package io.streamscore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every relative link and anchor in the project's Markdown resolves: a moved section breaks this test, not a reader. */
class DocLinksTest {
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

  @Test
  void shouldResolveEveryRelativeLinkAndAnchorWhenPagesAreRead() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : DocPages.all()) {
      List<String> prose = DocPages.prose(page);
      for (int i = 0; i < prose.size(); i++) {
        Matcher m = LINK.matcher(prose.get(i));
        while (m.find()) {
          String target = m.group(1);
          if (target.matches("[a-z][a-z0-9+.-]*:.*")) {
            continue; // https:, mailto: ...: not ours to check offline
          }
          checked++;
          String problem = problem(page, target);
          if (problem != null) {
            broken.add(page + ":" + (i + 1) + ": (" + target + ") " + problem);
          }
        }
      }
    }
    assertTrue(checked > 20, "links found: " + checked);
    assertEquals(List.of(), broken, "broken links");
  }

  @Test
  void shouldCloseEveryFencedBlockWhenAPageIsRead() {
    // An unclosed fence turns the rest of the page into code: its headings and links vanish.
    List<String> unclosed = new ArrayList<>();
    for (Path page : DocPages.all()) {
      long fences = DocPages.lines(page).stream().filter(l -> l.strip().startsWith("```")).count();
      if (fences % 2 != 0) {
        unclosed.add(page + ": " + fences + " fence lines");
      }
    }
    assertEquals(List.of(), unclosed, "pages with an unclosed fenced block");
  }

  @Test
  void shouldGiveGithubsAnchorsWhenHeadingsHavePunctuationOrRepeat() {
    assertEquals("models-versions-and-models-made-elsewhere", DocPages.slug("Models: versions, and models made elsewhere"));
    assertEquals("kubernetes-deploy", DocPages.slug("Kubernetes (`deploy/`)"));
    assertEquals("is-one-shared-tensorflow-model-thread-safe", DocPages.slug("Is one shared TensorFlow model thread safe?"));
  }

  private static String problem(Path page, String target) {
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? page : (page.getParent() == null ? Path.of(path) : page.getParent().resolve(path)).normalize();
    if (!Files.exists(file)) {
      return "no such file: " + file;
    }
    if (anchor != null) {
      if (!file.toString().endsWith(".md")) {
        return "an anchor into a file that is not Markdown";
      }
      if (!DocPages.anchors(file).contains(anchor)) {
        return "no heading with anchor #" + anchor + " in " + file + " (its anchors: " + DocPages.anchors(file) + ")";
      }
    }
    return null;
  }
}
