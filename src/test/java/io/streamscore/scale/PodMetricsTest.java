package io.streamscore.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a pod's Prometheus page as Micrometer writes it. */
class PodMetricsTest {
  private static final String PAGE = """
      # HELP streamscore_records_scored_total Records scored
      # TYPE streamscore_records_scored_total counter
      streamscore_records_scored_total{source="web"} 120.0
      streamscore_records_scored_total{source="mobile"} 30.0
      kafka_consumer_coordinator_rebalance_latency_max{client_id="a-StreamThread-1-consumer",kafka_version="4.4.0"} 812.0
      kafka_consumer_coordinator_rebalance_latency_max{client_id="a-restore-consumer",kafka_version="4.4.0"} NaN
      kafka_consumer_coordinator_rebalance_total{client_id="a-StreamThread-1-consumer"} 4.0
      kafka_consumer_time_between_poll_max{client_id="a-StreamThread-1-consumer"} 95.0
      kafka_consumer_time_between_poll_max{client_id="a-restore-consumer"} 1200.0
      """;

  @Test
  void shouldSumScoredRecordsOverSourcesAndTakeTheLargestFiniteValueOfEachRebalanceMetric() {
    Map<String, Double> values = PodMetrics.parse(PAGE);

    assertEquals(150.0, values.get(PodMetrics.SCORED));
    assertEquals(812.0, values.get(PodMetrics.REBALANCE_LATENCY_MAX));
    assertEquals(4.0, values.get(PodMetrics.REBALANCE_TOTAL));
    assertEquals(1200.0, values.get(PodMetrics.TIME_BETWEEN_POLL_MAX));
    assertFalse(values.containsKey(PodMetrics.TASKS_REVOKED_LATENCY_MAX));
  }
}
