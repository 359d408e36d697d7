package io.streamscore.training;

import java.nio.file.Path;

/**
 * What one training run measured. Immutable.
 *
 * @param heldOutAuc AUC of the exported model on rows it never saw, scored through the exported graph
 * @param noiseCeilingAuc AUC of the scenario's true probability on the same rows: the best any model can do
 */
public record TrainingReport(Path exportDirectory, long seed, int trainRows, int testRows, int epochs,
    double fraudRate, double finalTrainLoss, double heldOutAuc, double noiseCeilingAuc) {}
