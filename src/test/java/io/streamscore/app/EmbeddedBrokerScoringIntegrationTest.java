package io.streamscore.app;

import io.streamscore.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The scoring contract against a real Apache Kafka broker started from Maven Central's jars (KRaft, 127.0.0.1). */
class EmbeddedBrokerScoringIntegrationTest extends ScoringPipelineContract {
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  String bootstrapServers() {
    return broker.bootstrapServers();
  }
}
