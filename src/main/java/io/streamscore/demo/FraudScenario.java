package io.streamscore.demo;

import java.util.List;
import java.util.Random;

/**
 * The synthetic world the demo model is trained on and the demo publishes from: how payments are
 * distributed, and the documented rule that makes some of them fraudulent.
 *
 * <p>The rule: {@code logit = -4.6 + 0.9·ln(1 + amount/100) + 1.1·[hour < 6] + risk(category)
 * - 1.0·[card present] + 1.5·exp(-account_age_days/45) + 0.35·ln(1 + distance_km)
 * + 0.6·ln(1 + tx_last_hour) + 0.1·ln(1 + tx_last_day)}, and a payment is fraud with probability
 * {@code sigmoid(logit)}. The Bernoulli draw is the noise: no model can beat the rule itself, whose
 * AUC on the drawn labels is the noise ceiling reported on the model card.
 *
 * <p>Stateless: all randomness comes from the {@link Random} passed in, so a seed fixes the data.
 */
public final class FraudScenario {
  /** Merchant categories in the order the model's one-hot vocabulary uses. */
  public static final List<String> CATEGORIES =
      List.of("grocery", "restaurants", "fuel", "fashion", "electronics", "travel", "gift_cards", "other");

  private static final double[] CATEGORY_WEIGHT = {0.25, 0.15, 0.12, 0.12, 0.10, 0.08, 0.04, 0.14};
  private static final double[] CATEGORY_LOG_AMOUNT = {3.2, 3.3, 3.8, 4.0, 5.0, 5.5, 4.2, 3.6};
  private static final double[] CATEGORY_RISK = {-0.8, -0.5, -0.2, 0.1, 0.7, 0.5, 1.4, 0.0};

  private FraudScenario() {}

  /** Draws one payment; {@code cardNotPresentChannel} forces card-not-present (web checkout). */
  public static Payment draw(Random random, boolean cardNotPresentChannel) {
    int category = pick(random, CATEGORY_WEIGHT);
    double amount = Math.round(Math.exp(CATEGORY_LOG_AMOUNT[category] + 0.8 * random.nextGaussian()) * 100) / 100.0;
    int hour = random.nextDouble() < 0.08 ? random.nextInt(6) : 6 + random.nextInt(18);
    boolean cardPresent = !cardNotPresentChannel && random.nextDouble() < 0.65;
    long accountAge = random.nextDouble() < 0.05 ? random.nextInt(30) : (long) (-900 * Math.log(1 - random.nextDouble()));
    double distance = Math.round(Math.exp(1.5 + 1.2 * random.nextGaussian()) * 10) / 10.0;
    int lastHour = poisson(random, 0.3);
    int lastDay = lastHour + poisson(random, 2.0);
    int lastWeek = lastDay + poisson(random, 10.0);
    double p = probability(amount, hour, CATEGORIES.get(category), cardPresent, accountAge, distance, lastHour, lastDay);
    return new Payment(amount, hour, CATEGORIES.get(category), cardPresent, accountAge, distance,
        lastHour, lastDay, lastWeek, p, random.nextDouble() < p);
  }

  /** The rule: the true probability of fraud. */
  public static double probability(double amount, int hour, String category, boolean cardPresent,
      long accountAgeDays, double distanceKm, int txLastHour, int txLastDay) {
    int c = CATEGORIES.indexOf(category);
    double logit = -4.6
        + 0.9 * Math.log1p(amount / 100)
        + (hour < 6 ? 1.1 : 0)
        + (c < 0 ? 0 : CATEGORY_RISK[c])
        - (cardPresent ? 1.0 : 0)
        + 1.5 * Math.exp(-accountAgeDays / 45.0)
        + 0.35 * Math.log1p(distanceKm)
        + 0.6 * Math.log1p(txLastHour)
        + 0.1 * Math.log1p(txLastDay);
    return 1 / (1 + Math.exp(-logit));
  }

  private static int pick(Random random, double[] weights) {
    double u = random.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static int poisson(Random random, double mean) {
    double l = Math.exp(-mean);
    double p = random.nextDouble();
    int k = 0;
    while (p > l) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }
}
