package io.streamscore.app;

import io.streamscore.config.ConfigReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the configuration key table from StreamScoreConfig's ConfigDef, so the reference cannot drift from the code. */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
    description = {"Prints the configuration key table, generated from the code.",
        "Renders every key of StreamScore's ConfigDef as a Markdown table: name, environment variable, type, default,",
        "valid values, importance and description. With --update FILE it rewrites only the generated region of FILE",
        "(between its BEGIN GENERATED and END GENERATED lines) and leaves the rest of the page as written.",
        "Example: streamscore config-reference --update docs/configuration.md"})
final class ConfigReferenceCommand implements Callable<Integer> {
  @Option(names = "--update", paramLabel = "FILE", description = "Page whose generated region to rewrite; without it the table goes to standard output.")
  Path update;

  @Override
  public Integer call() throws Exception {
    String table = ConfigReference.table();
    if (update == null) {
      System.out.print(table);
      return 0;
    }
    String page = Files.readString(update, StandardCharsets.UTF_8);
    String updated;
    try {
      updated = ConfigReference.replaceTable(page, table);
    } catch (IllegalArgumentException e) {
      System.err.println("streamscore: " + update + ": " + e.getMessage());
      return 1;
    }
    if (!updated.equals(page)) {
      Files.writeString(update, updated, StandardCharsets.UTF_8);
    }
    System.out.println((updated.equals(page) ? "Up to date: " : "Updated: ") + update);
    return 0;
  }
}
