package io.streamscore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Whether a mode keeps a goal share of passthrough's throughput, judged from paired repetitions:
 * each ratio is one repetition's mode / passthrough, the two run back to back. The median ratio
 * with a 90 % percentile-bootstrap interval; <b>met</b> when the interval's lower end clears the
 * goal, <b>missed</b> when its upper end is below it, <b>undecided</b> otherwise, with an estimate
 * of the repetitions that would decide it.
 *
 * <p>Why a bootstrap of the median: the machine's speed drifts between half hours and a repetition
 * now and then lands in a noisy minute, so the ratios are neither normal nor free of outliers; the
 * median shrugs off the outliers, and resampling the repetitions themselves needs no assumption
 * about their distribution. The resampling is seeded, so one set of ratios always gives the same
 * interval. Immutable.
 *
 * @param median the median of the ratios
 * @param lower the interval's lower end
 * @param upper the interval's upper end
 * @param repetitions how many ratios it rests on
 * @param outcome met, missed or undecided
 * @param repetitionsToDecide for an undecided verdict, the repetitions an interval that narrows as
 *     1/√n would need to clear the goal on the median's side; 0 when decided, or when the median
 *     sits on the goal (no number of repetitions would decide it)
 */
public record RatioVerdict(double median, double lower, double upper, int repetitions, Outcome outcome, int repetitionsToDecide) {
  /** The share of the interval's probability: 90 %. */
  public static final double CONFIDENCE = 0.90;
  /** Fewer ratios than this give no verdict: the bootstrap of two values says nothing. */
  public static final int MIN_REPETITIONS = 3;
  private static final int RESAMPLES = 10_000;
  private static final long SEED = 26L;

  public enum Outcome {
    MET, MISSED, UNDECIDED;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The verdict on {@code ratios} against {@code goal}; NaN ratios (a repetition without both runs) are left out. */
  public static RatioVerdict of(List<Double> ratios, double goal) {
    List<Double> values = new ArrayList<>(ratios.stream().filter(r -> !Double.isNaN(r)).toList());
    int n = values.size();
    if (n == 0) {
      return new RatioVerdict(Double.NaN, Double.NaN, Double.NaN, 0, Outcome.UNDECIDED, MIN_REPETITIONS);
    }
    double median = median(values);
    if (n < MIN_REPETITIONS) {
      return new RatioVerdict(median, Double.NaN, Double.NaN, n, Outcome.UNDECIDED, MIN_REPETITIONS);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    double[] medians = new double[RESAMPLES];
    double[] sample = new double[n];
    for (int b = 0; b < RESAMPLES; b++) {
      for (int i = 0; i < n; i++) {
        sample[i] = values.get(random.nextInt(n));
      }
      medians[b] = median(sample);
    }
    java.util.Arrays.sort(medians);
    double tail = (1 - CONFIDENCE) / 2;
    double lower = medians[(int) Math.floor(tail * (RESAMPLES - 1))];
    double upper = medians[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))];
    if (lower >= goal) {
      return new RatioVerdict(median, lower, upper, n, Outcome.MET, 0);
    }
    if (upper < goal) {
      return new RatioVerdict(median, lower, upper, n, Outcome.MISSED, 0);
    }
    // The bound on the goal's side must move past the goal: its distance from the median shrinks as 1/√n.
    double reach = median >= goal ? median - lower : upper - median;
    double needed = Math.abs(median - goal);
    int toDecide = needed == 0 ? 0 : Math.max(n + 1, (int) Math.ceil(n * Math.pow(reach / needed, 2)));
    return new RatioVerdict(median, lower, upper, n, Outcome.UNDECIDED, toDecide);
  }

  /** E.g. {@code 0.72 (90 % interval 0.68–0.80), 12 repetitions: missed}. */
  public String describe(double goal) {
    if (repetitions < MIN_REPETITIONS) {
      return String.format(Locale.ROOT, "%s over %d repetition(s): undecided (a verdict needs at least %d)",
          repetitions == 0 ? "no figure" : String.format(Locale.ROOT, "%.2f", median), repetitions, MIN_REPETITIONS);
    }
    String text = String.format(Locale.ROOT, "%.2f (90 %% interval %.2f–%.2f) over %d repetitions: %s against %.2f", median, lower, upper,
        repetitions, outcome.word(), goal);
    if (outcome == Outcome.UNDECIDED) {
      text += repetitionsToDecide == 0 ? " (the median is on the goal: more repetitions would not decide it)"
          : String.format(Locale.ROOT, " (about %d repetitions would decide it)", repetitionsToDecide);
    }
    return text;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return median(v);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
