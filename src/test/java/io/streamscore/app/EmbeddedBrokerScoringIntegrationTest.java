package io.streamscore.app;

import io.streamscore.support.EmbeddedKafka;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scoring contract against a real Apache Kafka broker started from Maven Central's jars (KRaft, 127.0.0.1). */
class EmbeddedBrokerScoringIntegrationTest extends ScoringPipelineContract {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  @Override
  String bootstrapServers() {
    return KAFKA.bootstrapServers();
  }
}
