package io.streamscore.app;

import io.streamscore.training.FraudModelTrainer;
import io.streamscore.training.TrainingReport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Retrains the demo fraud model and exports it as a new SavedModel version. */
@Command(name = "train-model", mixinStandardHelpOptions = true,
    description = {
        "Retrains and exports the demo fraud model.",
        "Trains the demo fraud model with TensorFlow Java on synthetic payments drawn from the",
        "documented rule plus noise, exports it as a SavedModel and prints its held-out AUC.",
        "The same seed gives the same weights and predictions.",
        "Example: streamscore train-model --output /tmp/fraud-model/2"})
final class TrainModelCommand implements Callable<Integer> {
  static final String ONEDNN_SWITCH = "TF_ENABLE_ONEDNN_OPTS";

  @Option(names = "--output", defaultValue = "models/fraud/1",
      description = "Version directory to export into; must not exist yet (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--seed", defaultValue = "20261126", description = "Seed for data, weights and batch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--train-rows", defaultValue = "60000", description = "Training rows (default: ${DEFAULT-VALUE}).")
  int trainRows;

  @Option(names = "--test-rows", defaultValue = "20000", description = "Held-out rows (default: ${DEFAULT-VALUE}).")
  int testRows;

  @Option(names = "--epochs", defaultValue = "20", description = "Passes over the training rows (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--ballast-mb", defaultValue = "0",
      description = "Export an extra, unused variable of this many MB with the model, to measure memory per loaded copy (bench; default: ${DEFAULT-VALUE}).")
  int ballastMb;

  @Option(names = "--hidden", split = ",", defaultValue = "16", paramLabel = "WIDTH",
      description = "Widths of the hidden layers, e.g. 1024,1024 for a model whose own cost dominates a benchmark (default: ${DEFAULT-VALUE}, the demo model).")
  java.util.List<Integer> hidden;

  @Override
  public Integer call() throws Exception {
    if (!"0".equals(System.getenv(ONEDNN_SWITCH))) {
      // oneDNN picks kernels whose rounding varies from run to run, and TensorFlow reads this switch
      // only from the environment at native start-up: train in a child JVM that has it off.
      return ChildJvm.run(ONEDNN_SWITCH, "0", "train-model", "--output", output.toString(), "--seed", Long.toString(seed),
          "--train-rows", Integer.toString(trainRows), "--test-rows", Integer.toString(testRows), "--epochs", Integer.toString(epochs),
          "--ballast-mb", Integer.toString(ballastMb), "--hidden", hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
    }
    long start = System.nanoTime();
    TrainingReport report = new FraudModelTrainer(seed, trainRows, testRows, epochs, ballastMb * 1024L * 1024L / Float.BYTES, hidden)
        .trainAndExport(output);
    System.out.printf(Locale.ROOT, "Exported %s in %.1f s%n", report.exportDirectory(), (System.nanoTime() - start) / 1e9);
    System.out.printf(Locale.ROOT, "seed=%d train_rows=%d test_rows=%d epochs=%d fraud_rate=%.4f final_train_loss=%.4f%n",
        report.seed(), report.trainRows(), report.testRows(), report.epochs(), report.fraudRate(), report.finalTrainLoss());
    System.out.printf(Locale.ROOT, "held_out_auc=%.4f noise_ceiling_auc=%.4f%n", report.heldOutAuc(), report.noiseCeilingAuc());
    return 0;
  }
}
