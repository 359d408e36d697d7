package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo as a user runs it: its own embedded broker, every source, a summary that balances, exit code 0. */
class DemoCommandIntegrationTest {

  @Test
  void shouldScoreEverySourceOnItsOwnBrokerAndPrintABalancedSummary() {
    // 2 s at 300 records/s after the backlog: 200 more good records a source.
    String out = assertBalancedDemo(3200, "demo", "--records-per-source", "3000", "--threads", "2", "--paced-seconds", "2", "--paced-rate", "300");
    assertTrue(java.util.regex.Pattern.compile("warm-up \\d+ calls").matcher(out).find(), "the warm-up is reported: " + out);
    assertTrue(java.util.regex.Pattern.compile("service latency \\(the same, for 600 records published at a steady rate").matcher(out).find(),
        "the paced phase's latency is reported apart from the backlog's: " + out);
    assertTrue(out.contains("backlog latency"), out);
    assertTrue(out.contains("(batches of sample records)"), "the demo warms up from its sources' sample records: " + out);
  }

  @Test
  void shouldRunEndToEndThroughALocalSchemaRegistryInConfluentFormat() {
    var reason = io.streamscore.registry.local.LocalSchemaRegistry.unavailableReason();
    org.junit.jupiter.api.Assumptions.assumeTrue(reason.isEmpty(), () -> "no local schema registry: " + reason.orElse(""));
    String out = assertBalancedDemo(3000, "demo", "--format", "confluent", "--records-per-source", "3000", "--threads", "2", "--paced-seconds", "0");
    assertTrue(out.contains("Schema registry http://127.0.0.1:"), out);
    assertTrue(out.contains("is not in the schema registry"), "the unknown-id bad records are explained: " + out);
  }

  /** Runs the demo with {@code args}; checks exit 0 and a balanced summary per source; returns its output. */
  private static String assertBalancedDemo(long goodPerSource, String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = StreamScoreCommand.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.println(out);
    assertEquals(0, exit, out);
    for (String source : new String[] {"terminal", "web", "mobile"}) {
      Matcher row = Pattern.compile("(?m)^" + source + "\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+yes$").matcher(out);
      assertTrue(row.find(), "summary row for " + source);
      long published = Long.parseLong(row.group(1));
      long bad = Long.parseLong(row.group(2));
      assertEquals(goodPerSource + 9, published);
      assertEquals(9, bad);
      assertEquals(goodPerSource, Long.parseLong(row.group(3)), "predictions for " + source);
      assertEquals(9, Long.parseLong(row.group(4)), "dead letters for " + source);
      assertTrue(out.contains("  " + source + ": payments."), "a sample prediction for " + source);
    }
    assertTrue(out.contains("duplicate predictions: 0"));
    assertTrue(out.matches("(?s).*predictions by model version: v1 \\d+\\R.*"), "version 1 alone served the whole run: " + out);
    return out;
  }

  @Test
  void shouldPrintHelpForEveryCommand() {
    var commands = StreamScoreCommand.commandLine().getSubcommands().keySet();
    assertTrue(commands.containsAll(java.util.List.of("run", "demo", "publish", "consume", "train-model", "bench")), commands.toString());
    for (String command : commands) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      CommandLine cli = StreamScoreCommand.commandLine();
      cli.setOut(new java.io.PrintWriter(captured, true, StandardCharsets.UTF_8));
      assertEquals(0, cli.execute(command, "--help"), command);
      String help = captured.toString(StandardCharsets.UTF_8);
      assertTrue(help.startsWith("Usage: streamscore " + command), help);
    }
  }
}
