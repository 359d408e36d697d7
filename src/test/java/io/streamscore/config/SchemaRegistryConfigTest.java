package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The schema registry's keys and output.format: parsed, and refused with the key named. */
class SchemaRegistryConfigTest {
  private static final String SECRET = "p4ss-w0rd-42";

  private static Map<String, String> with(String... keyValues) {
    Map<String, String> values = new HashMap<>();
    values.put("sources", "orders");
    values.put("source.orders.topics", "orders");
    values.put("source.orders.schema", "schemas/Order.avsc");
    values.put("source.orders.input.amount", "total");
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return values;
  }

  private static ConfigException rejected(Map<String, String> values) {
    return assertThrows(ConfigException.class, () -> new StreamScoreConfig(values));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void shouldHaveNoRegistryAndWriteSingleObjectPredictionsByDefault() {
    StreamScoreConfig config = new StreamScoreConfig(with());
    assertTrue(config.schemaRegistry().isEmpty());
    assertEquals("avro", config.outputFormat());
  }

  @Test
  void shouldParseSeveralUrlsWithPathPrefixesAndTheClientSettings() {
    StreamScoreConfig config = new StreamScoreConfig(with("schema.registry.url", "http://a:8080/apis/ccompat/v7/, https://b:8081",
        "schema.registry.basic.auth.user.info", "key:" + SECRET, "schema.registry.max.retries", "5"));
    SchemaRegistrySettings settings = config.schemaRegistry().orElseThrow();
    assertEquals(List.of(URI.create("http://a:8080/apis/ccompat/v7"), URI.create("https://b:8081")), settings.urls());
    assertEquals("key:" + SECRET, settings.userInfo().orElseThrow().value());
    assertFalse(settings.toString().contains(SECRET), "the settings print no secret: " + settings);
    assertEquals(5, settings.maxRetries());
    assertEquals(Duration.ofSeconds(5), settings.connectTimeout());
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttpOrCarriesCredentials() {
    assertMentions(rejected(with("schema.registry.url", "registry:8081")), "schema.registry.url", "http:// or https://");
    ConfigException e = rejected(with("schema.registry.url", "https://user:" + SECRET + "@registry:8081"));
    assertMentions(e, "schema.registry.url", "must not carry credentials", "schema.registry.basic.auth.user.info");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void shouldRefuseUserInfoWithoutAColonWithoutEchoingIt() {
    ConfigException e = rejected(with("schema.registry.url", "http://r:8081", "schema.registry.basic.auth.user.info", SECRET));
    assertMentions(e, "schema.registry.basic.auth.user.info", "user:password");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void shouldRefuseBothKindsOfCredentials() {
    assertMentions(rejected(with("schema.registry.url", "http://r:8081", "schema.registry.basic.auth.user.info", "a:b",
        "schema.registry.bearer.auth.token", SECRET)), "schema.registry.basic.auth.user.info", "schema.registry.bearer.auth.token");
  }

  @Test
  void shouldRefuseARegistryKeyWithoutAUrl() {
    assertMentions(rejected(with("schema.registry.max.retries", "2")), "schema.registry.max.retries", "schema.registry.url");
  }

  @Test
  void shouldRefuseConfluentOutputWithoutARegistry() {
    assertMentions(rejected(with("output.format", "confluent")), "output.format", "schema.registry.url");
    assertMentions(rejected(with("output.format", "xml")), "output.format");
  }

  @Test
  void shouldTakeAReaderSchemaFromASubjectOrAFileButNotBoth() {
    Map<String, String> bySubject = with("schema.registry.url", "http://r:8081", "source.orders.schema.subject", "orders-value");
    bySubject.remove("source.orders.schema");
    assertEquals("orders-value", new StreamScoreConfig(bySubject).sources().get(0).schemaSubject().orElseThrow());
    assertMentions(rejected(with("schema.registry.url", "http://r:8081", "source.orders.schema.subject", "orders-value")),
        "source.orders.schema.subject", "source.orders.schema", "remove the other");
    Map<String, String> noUrl = with("source.orders.schema.subject", "orders-value");
    noUrl.remove("source.orders.schema");
    assertMentions(rejected(noUrl), "source.orders.schema.subject", "schema.registry.url");
  }

  @Test
  void shouldRefuseRetriesThatCouldOutlastTheConsumersPollInterval() {
    ConfigException e = rejected(with("schema.registry.url", "http://a:8081,http://b:8081", "schema.registry.max.retries", "10",
        "schema.registry.http.read.timeout.ms", "30000"));
    assertMentions(e, "schema.registry.max.retries", "max.poll.interval.ms=300000", "kafka.max.poll.interval.ms");
    new StreamScoreConfig(with("schema.registry.url", "http://a:8081,http://b:8081", "schema.registry.max.retries", "10",
        "schema.registry.http.read.timeout.ms", "30000", "kafka.max.poll.interval.ms", "3600000"));
  }

  @Test
  void shouldCallRegistryCredentialsSecrets() {
    assertTrue(StreamScoreConfig.isSecret("schema.registry.basic.auth.user.info"));
    assertTrue(StreamScoreConfig.isSecret("schema.registry.bearer.auth.token"));
    assertTrue(StreamScoreConfig.isSecret("schema.registry.ssl.truststore.password"));
    assertFalse(StreamScoreConfig.isSecret("schema.registry.url"));
  }
}
