package io.streamscore.support;

import io.streamscore.model.internals.JavaCppSettings;
import io.streamscore.demo.FraudScenario;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.internals.SavedModelScorer;
import io.streamscore.training.FraudModelTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Scores a number of records with the demo model after warm-up and prints the process's RSS before
 * and after, as "rss_kb_before rss_kb_after scored tracked", where tracked is the number of native
 * allocations JavaCPP's garbage-collector safety net holds with the model loaded (0 under
 * StreamScore's {@link JavaCppSettings}, which this applies first, as StreamScore's entry point
 * does). Run in its own JVM with a fixed, pre-touched heap, so that what RSS shows moving is native
 * memory (TensorFlow's), not the Java heap growing or shrinking.
 */
public final class NativeMemoryProbe {
  private NativeMemoryProbe() {}

  public static void main(String[] args) {
    if (!(args.length > 3 && args[3].equals("--javacpp-defaults"))) {
      JavaCppSettings.apply();
    }
    long records = Long.parseLong(args[0]);
    int batchSize = Integer.parseInt(args[1]);
    Random random = new Random(21);
    List<FeatureRow> batch = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      batch.add(FraudModelTrainer.featureRow(FraudScenario.draw(random, i % 3 == 0)));
    }
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(Path.of(args[2])))) {
      for (int i = 0; i < 400; i++) {
        scorer.score(batch); // settle allocator pools and JIT before measuring
      }
      long before = ModelDirectories.residentKb();
      long scored = 0;
      while (scored < records) {
        scored += scorer.score(batch).size();
      }
      long after = ModelDirectories.residentKb();
      System.out.println("PROBE " + before + " " + after + " " + scored + " " + org.bytedeco.javacpp.Pointer.totalCount());
    }
  }
}
