package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.support.EmbeddedKafka;
import io.streamscore.support.RunSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * No secret reaches a log line or an error message: StreamScore is started with secrets in its
 * Kafka settings (from the environment, as a container gets them) and every log event, at every
 * level including Kafka's own INFO configuration dumps, is captured and searched.
 */
class SecretsIntegrationTest {
  private static final String SECRET = "hunter2-s3cr3t";

  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  @Test
  void shouldNeverLogASecretFromTheConfiguration() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    Level rootLevel = root.getLevel();
    Level kafkaLevel = kafka.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    kafka.setLevel(Level.INFO); // Kafka's clients print their whole configuration at INFO
    try {
      String run = RunSettings.newRun();
      Map<String, String> environment = Map.of(
          "STREAMSCORE_KAFKA_SSL_KEY_PASSWORD", SECRET,
          "STREAMSCORE_KAFKA_SSL_TRUSTSTORE_PASSWORD", SECRET,
          "STREAMSCORE_KAFKA_SASL_JAAS_CONFIG",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scorer\" password=\"" + SECRET + "\";");
      Map<String, String> settings = RunSettings.isolated(KAFKA.bootstrapServers(), "secrets", run);
      StreamScoreConfig config = ConfigLoader.load(Optional.empty(), environment, settings);
      try (StreamScoreService service = StreamScoreService.start(config)) {
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      }
    } finally {
      root.detachAppender(captured);
      root.setLevel(rootLevel);
      kafka.setLevel(kafkaLevel);
    }
    assertTrue(captured.list.size() > 20, "log events were captured: " + captured.list.size());
    assertTrue(captured.list.stream().anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config")),
        "Kafka's configuration dump, which names the secret keys, was captured");
    for (ILoggingEvent event : captured.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      assertFalse(line.contains(SECRET), "a log line reveals a secret: " + line);
    }
  }

  @Test
  void shouldNotEchoASecretInAConfigurationError() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
        Map.of("STREAMSCORE_SOURCE_WEB_PASSWORD", SECRET), Map.of()));
    assertTrue(e.getMessage().contains("source.web.password"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = StreamScoreCommand.commandLine();
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.execute("run", "--set", "mystery.password=" + SECRET);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("mystery.password"), message);
    assertFalse(message.contains(SECRET), message);
  }
}
