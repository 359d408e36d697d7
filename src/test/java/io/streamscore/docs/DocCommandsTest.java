package io.streamscore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.app.StreamScoreCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every StreamScore command the docs show, in a fenced {@code sh} block, and every example in a
 * command's {@code --help}, parses with picocli's model of the real command line: the subcommand
 * exists, and so does every option, with its arity and required options. Other commands in those
 * blocks (mvn, docker, kubectl, printf ...) are not StreamScore's and are skipped.
 */
class DocCommandsTest {
  private static final Set<String> SHELL_OPERATORS = Set.of("|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&");

  @Test
  void shouldNameRealSubcommandsAndOptionsWhenAShBlockRunsStreamScore() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Path page : DocPages.all()) {
      for (DocPages.Block block : DocPages.blocks(page)) {
        if (!block.info().equals("sh")) {
          continue;
        }
        List<String> lines = joinContinuations(block.lines());
        for (int i = 0; i < lines.size(); i++) {
          List<String> words = words(lines.get(i));
          int jar = jarIndex(words);
          if (jar < 0) {
            continue;
          }
          checked++;
          String problem = problem(arguments(words, jar + 1));
          if (problem != null) {
            wrong.add(page + " (block at line " + block.firstLine() + "): " + lines.get(i).strip() + "\n    " + problem);
          }
        }
      }
    }
    assertTrue(checked >= 5, "streamscore commands found in sh blocks: " + checked);
    assertEquals(List.of(), wrong, "commands the real command line refuses");
  }

  @Test
  void shouldParseEveryExampleWhenACommandsHelpShowsOne() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (CommandLine sub : StreamScoreCommand.commandLine().getSubcommands().values()) {
      for (String line : sub.getCommandSpec().usageMessage().description()) {
        if (!line.startsWith("Example: ")) {
          continue;
        }
        List<String> words = words(line.substring("Example: ".length()));
        int start = 0;
        while (start < words.size() && words.get(start).matches("[A-Z_][A-Z0-9_]*=.*")) {
          start++; // environment variables set for the command
        }
        checked++;
        if (start >= words.size() || !words.get(start).equals("streamscore")) {
          wrong.add(sub.getCommandName() + ": an example that does not start with streamscore: " + line);
          continue;
        }
        String problem = problem(arguments(words, start + 1));
        if (problem != null) {
          wrong.add(sub.getCommandName() + ": " + line + "\n    " + problem);
        }
      }
    }
    assertTrue(checked >= 4, "examples found: " + checked);
    assertEquals(List.of(), wrong, "help examples the real command line refuses");
  }

  @Test
  void shouldRefuseAnUnknownOptionOrSubcommandWhenChecked() {
    assertTrue(problem(List.of("publish", "--source", "web", "--count", "1", "--no-such-option")) != null);
    assertTrue(problem(List.of("no-such-command")) != null);
    assertEquals(null, problem(List.of("publish", "--source", "web", "--count", "1")));
  }

  /** Why the real command line refuses these arguments, or null when it takes them. */
  private static String problem(List<String> args) {
    try {
      CommandLine.ParseResult result = StreamScoreCommand.commandLine().parseArgs(args.toArray(String[]::new));
      if (!result.hasSubcommand() && !result.isUsageHelpRequested() && !result.isVersionHelpRequested()) {
        return "names no subcommand";
      }
      return null;
    } catch (CommandLine.ParameterException e) {
      return e.getMessage();
    }
  }

  private static int jarIndex(List<String> words) {
    for (int i = 1; i < words.size(); i++) {
      if (words.get(i - 1).equals("-jar") && words.get(i).endsWith("streamscore.jar")) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> arguments(List<String> words, int from) {
    List<String> args = new ArrayList<>();
    for (String w : words.subList(from, words.size())) {
      if (SHELL_OPERATORS.contains(w) || w.startsWith("#")) {
        break;
      }
      args.add(w);
    }
    return args;
  }

  private static List<String> joinContinuations(List<String> lines) {
    List<String> joined = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        joined.add(current.append(line).toString());
        current.setLength(0);
      }
    }
    if (current.length() > 0) {
      joined.add(current.toString());
    }
    return joined;
  }

  /** The words of a shell line: single and double quotes group and are removed; no expansion. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
