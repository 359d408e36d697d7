package io.streamscore.demo;

/**
 * One synthetic payment as the fraud scenario draws it, before any source gives it its own field
 * names. Immutable.
 *
 * @param fraudProbability the scenario's true probability of fraud for this payment (the rule)
 * @param fraud the drawn label
 */
public record Payment(
    double amountEur,
    int hourOfDay,
    String merchantCategory,
    boolean cardPresent,
    long accountAgeDays,
    double distanceKm,
    int txLastHour,
    int txLastDay,
    int txLastWeek,
    double fraudProbability,
    boolean fraud) {}
