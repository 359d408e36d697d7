package io.streamscore.scale;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the scale benchmark needs out of one instance's Prometheus page: records scored, and
 * the Kafka clients' rebalance metrics that Micrometer's KafkaStreamsMetrics exports (classic:
 * {@code consumer-coordinator-metrics}; streams protocol: KIP-1216's task latencies), each as the
 * largest value over its series (the main, restore and global consumers each have one).
 */
final class PodMetrics {
  static final String SCORED = "records_scored";
  static final String REBALANCE_LATENCY_MAX = "rebalance_latency_max";
  static final String REBALANCE_TOTAL = "rebalance_total";
  static final String TIME_BETWEEN_POLL_MAX = "time_between_poll_max";
  static final String TASKS_REVOKED_LATENCY_MAX = "tasks_revoked_latency_max";
  static final String TASKS_ASSIGNED_LATENCY_MAX = "tasks_assigned_latency_max";
  static final String TASKS_LOST_LATENCY_MAX = "tasks_lost_latency_max";

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");
  private static final String[] REBALANCE = {REBALANCE_LATENCY_MAX, REBALANCE_TOTAL, TIME_BETWEEN_POLL_MAX, TASKS_REVOKED_LATENCY_MAX,
      TASKS_ASSIGNED_LATENCY_MAX, TASKS_LOST_LATENCY_MAX};

  private PodMetrics() {}

  /**
   * The metrics of one page: {@value #SCORED} summed over sources; each rebalance metric as its
   * largest finite value over series whose name ends with it (Kafka's own {@code NaN} for "no
   * sample yet" is skipped).
   */
  static Map<String, Double> parse(String page) {
    Map<String, Double> values = new HashMap<>();
    for (String line : page.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      String name = m.group(1);
      double value;
      try {
        value = Double.parseDouble(m.group(3));
      } catch (NumberFormatException e) {
        continue;
      }
      if (!Double.isFinite(value)) {
        continue;
      }
      if (name.startsWith("streamscore_records_scored")) {
        values.merge(SCORED, value, Double::sum);
        continue;
      }
      for (String metric : REBALANCE) {
        if (name.startsWith("kafka_") && name.endsWith(metric)) {
          values.merge(metric, value, Math::max);
        }
      }
    }
    return values;
  }
}
