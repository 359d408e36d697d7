package io.streamscore.app;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scoring contract against Apache Kafka in a container. Reported as skipped, not failed,
 * where no Docker engine is available; the embedded-broker variant covers that case.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerScoringIntegrationTest extends ScoringPipelineContract {
  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

  @Override
  String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
