package io.streamscore.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The project's Markdown pages as the doc tests read them: fenced blocks, headings and their anchors. */
final class DocPages {
  static final Path README = Path.of("README.md");
  static final Path DOCS = Path.of("docs");

  private DocPages() {}

  /** README.md, every page under docs/, the other top-level pages, and the READMEs of models/ and deploy/. */
  static List<Path> all() {
    List<Path> pages = new ArrayList<>();
    try (Stream<Path> top = Files.list(Path.of(".")).map(p -> Path.of(p.getFileName().toString()));
         Stream<Path> docs = Files.walk(DOCS);
         Stream<Path> more = Stream.of(Path.of("models"), Path.of("deploy")).flatMap(DocPages::walk)) {
      top.filter(DocPages::isMarkdown).sorted().forEach(pages::add);
      docs.filter(DocPages::isMarkdown).sorted().forEach(pages::add);
      more.filter(DocPages::isMarkdown).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isMarkdown(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".md");
  }

  static List<String> lines(Path page) {
    try {
      return Files.readAllLines(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fenced code block: its info string ("sh", "" ...), the 1-based line of its first content line, and its lines. */
  record Block(String info, int firstLine, List<String> lines) {}

  static List<Block> blocks(Path page) {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = lines(page);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("```")) {
        String info = line.substring(3).strip();
        int start = i + 1;
        int end = start;
        while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
          end++;
        }
        blocks.add(new Block(info, start + 1, List.copyOf(lines.subList(start, Math.min(end, lines.size())))));
        i = end;
      }
    }
    return blocks;
  }

  /** The page's lines outside fenced blocks, with inline code spans blanked: where links are. Index = line number - 1. */
  static List<String> prose(Path page) {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        out.add("");
        continue;
      }
      out.add(fenced ? "" : line.replaceAll("`[^`]*`", "``"));
    }
    return out;
  }

  /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
  static Set<String> anchors(Path page) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : lines(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      }
      if (fenced || !line.matches("#{1,6} .*")) {
        continue;
      }
      String slug = slug(line.replaceFirst("^#{1,6} ", ""));
      int n = seen.merge(slug, 1, Integer::sum);
      anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return anchors;
  }

  static String slug(String heading) {
    String text = heading.strip().replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
    return text.replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
  }
}
