package io.streamscore.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.app.StreamScoreCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FraudModelTrainerTest {

  @TempDir
  Path temp;

  @Test
  void shouldRetrainToTheSameWeightsForTheSameSeedWithTheRetrainCommand() throws Exception {
    String first = train(temp.resolve("a/1"), "5");
    String second = train(temp.resolve("b/1"), "5");
    assertTrue(first.contains("held_out_auc="), first);
    assertArrayEquals(Files.readAllBytes(temp.resolve("a/1/variables/variables.data-00000-of-00001")),
        Files.readAllBytes(temp.resolve("b/1/variables/variables.data-00000-of-00001")));
    assertEquals(line(first, "held_out_auc="), line(second, "held_out_auc="));
    String other = train(temp.resolve("c/1"), "6");
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(temp.resolve("a/1/variables/variables.data-00000-of-00001")),
        Files.readAllBytes(temp.resolve("c/1/variables/variables.data-00000-of-00001"))), "another seed gives other weights");
  }

  @Test
  void shouldLearnTheRuleNearlyAsWellAsTheRuleItself() throws Exception {
    TrainingReport report = new FraudModelTrainer(3, 60_000, 20_000, 20).trainAndExport(temp.resolve("m/1"));
    assertTrue(Files.isRegularFile(temp.resolve("m/1/saved_model.pb")));
    assertTrue(report.heldOutAuc() > report.noiseCeilingAuc() - 0.03,
        "held-out AUC " + report.heldOutAuc() + " vs noise ceiling " + report.noiseCeilingAuc());
    assertTrue(report.heldOutAuc() <= report.noiseCeilingAuc() + 0.02, "no model beats the rule by more than sampling noise");
  }

  @Test
  void shouldRefuseToOverwriteAnExportedVersion() throws Exception {
    Files.createDirectories(temp.resolve("x/1"));
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> new FraudModelTrainer(1, 1000, 1000, 1).trainAndExport(temp.resolve("x/1")));
    assertTrue(e.getMessage().contains("exists already"));
  }

  /** Runs the documented retrain command in a child JVM and returns what it printed. */
  private static String train(Path output, String seed) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StreamScoreCommand.class.getName(), "train-model",
        "--output", output.toString(), "--seed", seed, "--train-rows", "8000", "--test-rows", "4000", "--epochs", "2"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), out);
    return out;
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
