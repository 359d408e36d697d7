package io.streamscore.app;

import io.streamscore.config.StreamScoreConfig;
import io.streamscore.output.PredictionEncoder;
import io.streamscore.prediction.Prediction;
import io.streamscore.registry.RegistryAccessDeniedException;
import io.streamscore.registry.RegistryException;
import io.streamscore.registry.RegistryUnavailableException;
import io.streamscore.registry.SchemaRegistryClient;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry at start-up: the client, checked before anything else uses it, and the
 * output encoder {@code output.format} asks for. Every refusal becomes a {@link ConfigException}
 * that names the key to change.
 */
final class RegistrySetup {
  private static final Logger log = LoggerFactory.getLogger(RegistrySetup.class);

  private RegistrySetup() {}

  /**
   * The registry client when {@code schema.registry.url} is set, after one request that proves the
   * credentials. A registry that does not answer stops start-up only when start-up needs it (a
   * reader schema by subject, or output.format=confluent); otherwise records wait for it.
   *
   * @throws ConfigException on wrong credentials, or when a needed registry does not answer
   */
  static Optional<SchemaRegistryClient> connect(StreamScoreConfig config) {
    if (config.schemaRegistry().isEmpty()) {
      return Optional.empty();
    }
    SchemaRegistryClient client = new SchemaRegistryClient(config.schemaRegistry().get());
    boolean needed = config.outputFormat().equals("confluent") || config.sources().stream().anyMatch(s -> s.schemaSubject().isPresent());
    try {
      client.checkAccess();
      log.info("Schema registry {} answers", client.describe());
    } catch (RegistryUnavailableException e) {
      if (needed) {
        throw new ConfigException(StreamScoreConfig.REGISTRY_URL_CONFIG, client.describe(), "start-up needs the schema registry"
            + " (output.format=confluent or a source.<name>.schema.subject) and it does not answer: " + e.getMessage());
      }
      log.warn("Schema registry {} does not answer yet; records in Confluent's wire format wait for it: {}", client.describe(), e.getMessage());
    } catch (RegistryException e) {
      throw configError(config, e);
    }
    return Optional.of(client);
  }

  /** The encoder for predictions written to {@code topic}; registers the Prediction schema for confluent. */
  static PredictionEncoder encoder(StreamScoreConfig config, Optional<SchemaRegistryClient> client, String topic) {
    switch (config.outputFormat()) {
      case "json":
        return PredictionEncoder.json();
      case "confluent":
        String subject = topic + "-value";
        try {
          int id = client.orElseThrow().register(subject, Prediction.getClassSchema());
          log.info("Predictions to {} in Confluent's wire format, schema id {} (subject {})", topic, id, subject);
          return PredictionEncoder.confluent(id);
        } catch (RegistryException e) {
          throw new ConfigException(StreamScoreConfig.OUTPUT_FORMAT_CONFIG, "confluent", "cannot register schemas/Prediction.avsc under "
              + subject + ": " + e.getMessage());
        }
      default:
        return PredictionEncoder.singleObject();
    }
  }

  /** A registry refusal at start-up as the configuration error it is. */
  static ConfigException configError(StreamScoreConfig config, RegistryException e) {
    if (e instanceof RegistryAccessDeniedException) {
      var settings = config.schemaRegistry().orElseThrow();
      String key = settings.bearerToken().isPresent() ? StreamScoreConfig.REGISTRY_BEARER_TOKEN_CONFIG : StreamScoreConfig.REGISTRY_USER_INFO_CONFIG;
      boolean none = settings.bearerToken().isEmpty() && settings.userInfo().isEmpty();
      return new ConfigException(key, "[hidden]", e.getMessage() + (none ? "; the registry asks for credentials and none are set: set "
          + key + " (environment or file) or " + StreamScoreConfig.REGISTRY_BEARER_TOKEN_CONFIG : "; check the credentials and their permissions"));
    }
    return new ConfigException(StreamScoreConfig.REGISTRY_URL_CONFIG, config.schemaRegistry().map(s -> s.urls().toString()).orElse(""),
        e.getMessage());
  }
}
