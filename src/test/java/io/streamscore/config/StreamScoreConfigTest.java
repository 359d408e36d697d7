package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import io.streamscore.topology.DeadLetterHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.junit.jupiter.api.Test;

class StreamScoreConfigTest {

  /** The smallest valid configuration: one source "orders" reading topic "orders". */
  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put("sources", "orders");
    values.put("source.orders.topics", "orders");
    values.put("source.orders.schema", "schemas/Order.avsc");
    values.put("source.orders.input.amount", "total");
    return values;
  }

  private static Map<String, String> minimalWith(String... keyValues) {
    Map<String, String> values = minimal();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return values;
  }

  private static Map<String, String> minimalWithout(String key) {
    Map<String, String> values = minimal();
    assertTrue(values.remove(key) != null, key);
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
  void shouldAcceptTheMinimalConfigurationAndApplyDefaults() {
    StreamScoreConfig config = new StreamScoreConfig(minimal());

    assertEquals(List.of("orders"), config.sources().get(0).topics());
    assertEquals("predictions", config.outputTopic());
    assertEquals("predictions.dlq", config.deadLetterTopic());
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.processingGuarantee(), "exactly-once is the default");
  }

  @Test
  void shouldRejectUnknownKeyNamingIt() {
    ConfigException e = rejected(minimalWith("output.topics", "scores"));

    assertMentions(e, "output.topics");
  }

  @Test
  void shouldTurnOffPartitionTimeSynchronisationUnlessTheUserSetsIt() {
    assertEquals(-1L, new StreamScoreConfig(minimal()).streamsProperties("b:9092", io.streamscore.config.GroupProtocol.CLASSIC).get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    assertEquals("200", new StreamScoreConfig(minimalWith("kafka.max.task.idle.ms", "200")).streamsProperties("b:9092", io.streamscore.config.GroupProtocol.CLASSIC)
        .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldRejectARemovedBatchingKeySayingWhatToDoInstead() {
    assertMentions(rejected(minimalWith("model.batching", "buffer")), "model.batching", "removed", "model.batch.max.rows=1");
    assertMentions(rejected(minimalWith("model.batch.max.wait.us", "200")), "model.batch.max.wait.us", "removed");
  }

  @Test
  void shouldRejectASourceKeyForAnUnlistedSourceNamingKeyAndSource() {
    ConfigException e = rejected(minimalWith("source.refunds.topics", "refunds"));

    assertMentions(e, "source.refunds.topics", "'refunds'", "sources=orders");
  }

  @Test
  void shouldRejectAnUnknownSourceSuffixNamingTheKey() {
    ConfigException e = rejected(minimalWith("source.orders.topic", "orders-2"));

    assertMentions(e, "source.orders.topic", "unknown source key");
  }

  @Test
  void shouldRejectAnInputKeyWithoutAnInputName() {
    ConfigException e = rejected(minimalWith("source.orders.input.", "total"));

    assertMentions(e, "source.orders.input.");
  }

  @Test
  void shouldRejectAValueOfTheWrongTypeNamingTheKey() {
    ConfigException e = rejected(minimalWith("num.stream.threads", "abc"));

    assertMentions(e, "num.stream.threads", "abc");
  }

  @Test
  void shouldRequireTopicsOrAPatternForEverySource() {
    ConfigException e = rejected(minimalWithout("source.orders.topics"));

    assertMentions(e, "source.orders.topics", "source.orders.topic.pattern");
  }

  @Test
  void shouldRequireASchemaForEverySource() {
    ConfigException e = rejected(minimalWithout("source.orders.schema"));

    assertMentions(e, "source.orders.schema");
  }

  @Test
  void shouldRejectAnInvalidTopicPatternNamingTheKey() {
    ConfigException e = rejected(minimalWith("source.orders.topic.pattern", "orders.(eu"));

    assertMentions(e, "source.orders.topic.pattern", "orders.(eu", "regular expression");
  }

  @Test
  void shouldRejectADefaultWithoutAFieldBinding() {
    ConfigException e = rejected(minimalWith("source.orders.default.distance_km", "0.0"));

    assertMentions(e, "source.orders.default.distance_km", "source.orders.input.distance_km");
  }

  @Test
  void shouldRejectAnInputBoundBothAsFieldAndAsConstant() {
    ConfigException e = rejected(minimalWith("source.orders.constant.amount", "1.0"));

    assertMentions(e, "'amount'", "source.orders.input.amount", "source.orders.constant.amount");
  }

  @Test
  void shouldRejectAFieldPathThatIsNotAvroFieldNames() {
    ConfigException e = rejected(minimalWith("source.orders.input.amount", "total-eur"));

    assertMentions(e, "source.orders.input.amount", "total-eur");
  }

  @Test
  void shouldRejectASourceNameThatCannotBeAnEnvironmentVariable() {
    Map<String, String> values = minimal();
    values.put("sources", "orders,eu_orders");

    ConfigException e = rejected(values);

    assertMentions(e, "sources", "eu_orders");
  }

  @Test
  void shouldRejectAnOutputTopicEqualToTheDeadLetterTopic() {
    ConfigException e = rejected(minimalWith("output.topic", "scores", "dead.letter.topic", "scores"));

    assertMentions(e, "dead.letter.topic", "output.topic", "scores");
  }

  @Test
  void shouldRejectASourceConsumingTheOutputTopicNamingTheSource() {
    ConfigException e = rejected(minimalWith("source.orders.topics", "orders,scores", "output.topic", "scores"));

    assertMentions(e, "source.orders.topics", "'scores'");
  }

  @Test
  void shouldRejectASourcePatternMatchingTheDeadLetterTopic() {
    Map<String, String> values = minimalWith("source.orders.topic.pattern", "orders.*", "dead.letter.topic", "orders.dlq");

    ConfigException e = rejected(values);

    assertMentions(e, "source.orders.topic.pattern", "'orders.dlq'");
  }

  @Test
  void shouldPassKafkaPrefixedKeysToStreamsWithThePrefixStripped() {
    StreamScoreConfig config = new StreamScoreConfig(minimalWith(
        "kafka.security.protocol", "SASL_SSL",
        "kafka.max.poll.interval.ms", "600000"));

    Properties streams = config.streamsProperties("broker:9092", io.streamscore.config.GroupProtocol.CLASSIC);

    assertEquals("SASL_SSL", streams.get("security.protocol"));
    assertEquals("600000", streams.get("max.poll.interval.ms"));
    assertFalse(streams.containsKey("kafka.security.protocol"));
    assertEquals(Map.of("security.protocol", "SASL_SSL", "max.poll.interval.ms", "600000"), config.kafkaOverrides());
    assertEquals("SASL_SSL", config.clientProperties("broker:9092").get("security.protocol"));
  }

  @Test
  void shouldConfigureTheDeadLetterQueueAndLogAndContinueHandlers() {
    StreamScoreConfig config = new StreamScoreConfig(minimalWith(
        "dead.letter.topic", "orders.rejected", "application.id", "scoring", "num.stream.threads", "3"));

    Properties streams = config.streamsProperties("broker:9092", io.streamscore.config.GroupProtocol.CLASSIC);

    assertEquals("orders.rejected", streams.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
    assertEquals(LogAndContinueExceptionHandler.class.getName(),
        streams.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertEquals(DeadLetterHandler.class.getName(), streams.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertTrue(LogAndContinueProcessingExceptionHandler.class.isAssignableFrom(DeadLetterHandler.class),
        "Kafka's own log-and-continue handler builds the dead letters");
    assertEquals("scoring", streams.get(StreamsConfig.APPLICATION_ID_CONFIG));
    assertEquals(3, streams.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    assertEquals("broker:9092", streams.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  @Test
  void shouldUseTheBootstrapServersArgumentOverAKafkaPrefixedOne() {
    StreamScoreConfig config = new StreamScoreConfig(minimalWith("kafka.bootstrap.servers", "configured:9092"));

    assertEquals("actual:9092", config.streamsProperties("actual:9092", io.streamscore.config.GroupProtocol.CLASSIC).get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    assertEquals(java.util.Optional.of("configured:9092"), config.bootstrapServers(),
        "kafka.bootstrap.servers counts when bootstrap.servers is empty");
  }

  @Test
  void shouldRenderEveryDeclaredKeyAsAnEnvironmentVariableThatMapsBack() {
    for (String key : StreamScoreConfig.configDef().names()) {
      assertEquals(key, ConfigLoader.keyFor(StreamScoreConfig.environmentVariableFor(key)));
    }
  }

  @Test
  void shouldLeaveTheGroupProtocolToStartUpByDefault() {
    assertEquals(GroupProtocol.AUTO, new StreamScoreConfig(minimal()).groupProtocol());
    assertEquals(GroupProtocol.CLASSIC, new StreamScoreConfig(minimalWith("group.protocol", "classic")).groupProtocol());
  }

  @Test
  void shouldPassTheChosenGroupProtocolToKafkaStreams() {
    StreamScoreConfig config = new StreamScoreConfig(minimal());

    assertEquals("streams", config.streamsProperties("b:9092", GroupProtocol.STREAMS).get(StreamsConfig.GROUP_PROTOCOL_CONFIG));
    assertEquals("classic", config.streamsProperties("b:9092", GroupProtocol.CLASSIC).get(StreamsConfig.GROUP_PROTOCOL_CONFIG));
    assertThrows(IllegalArgumentException.class, () -> config.streamsProperties("b:9092", GroupProtocol.AUTO));
  }

  @Test
  void shouldRefuseATopicPatternUnderTheStreamsProtocolNamingBothKeys() {
    Map<String, String> values = minimalWithout("source.orders.topics");
    values.put("source.orders.topic.pattern", "orders-.*");
    values.put("group.protocol", "streams");

    ConfigException e = rejected(values);

    assertMentions(e, "group.protocol", "source.orders.topic.pattern", "classic");
  }

  @Test
  void shouldAcceptATopicPatternWhenTheProtocolIsLeftToStartUp() {
    Map<String, String> values = minimalWithout("source.orders.topics");
    values.put("source.orders.topic.pattern", "orders-.*");

    assertEquals(java.util.Optional.of("source.orders.topic.pattern"), new StreamScoreConfig(values).topicPatternKey());
  }

  @Test
  void shouldRefuseTheKafkaPrefixedGroupProtocolPointingToItsOwnKey() {
    ConfigException e = rejected(minimalWith("kafka.group.protocol", "streams"));

    assertMentions(e, "kafka.group.protocol", "group.protocol=classic, streams or auto");
  }

  @Test
  void shouldRefuseAnUnknownGroupProtocol() {
    assertMentions(rejected(minimalWith("group.protocol", "consumer")), "group.protocol", "consumer");
  }

  @Test
  void shouldReadAModelPathAndAShadowPathInABucket() {
    StreamScoreConfig config = new StreamScoreConfig(minimalWith("model.path", "s3://models-prod/fraud", "shadow.model.path",
        "s3://models-prod/fraud-candidate", "model.s3.endpoint", "http://minio.minio.svc:9000/", "model.s3.path.style", "true"));
    assertEquals(java.util.Optional.of(S3Location.parse("s3://models-prod/fraud")), config.modelStore());
    assertEquals(java.util.Optional.of(S3Location.parse("s3://models-prod/fraud-candidate")), config.shadowModelStore());
    assertTrue(config.shadowEnabled());
    assertEquals(java.util.Optional.empty(), config.shadowModelPath(), "the candidate is not a local path");
    assertEquals(java.util.Optional.of(java.net.URI.create("http://minio.minio.svc:9000")), config.modelStoreSettings().endpoint());
    assertTrue(config.modelStoreSettings().pathStyle());
    assertEquals(java.nio.file.Path.of("/tmp/streamscore-models"), config.modelStoreSettings().cacheDirectory());
    assertThrows(IllegalStateException.class, config::modelPath, "callers of the local path must not get a bucket's");
  }

  @Test
  void shouldRefuseABucketPathThatIsNotOneNamingTheKey() {
    assertMentions(rejected(minimalWith("model.path", "s3://Models_Prod/fraud")), "model.path", "is not a bucket name", "s3://bucket/prefix");
    assertMentions(rejected(minimalWith("shadow.model.path", "s3://")), "shadow.model.path", "s3://bucket/prefix");
  }

  @Test
  void shouldRefuseAnotherSchemeSayingWhatIsRead() {
    assertMentions(rejected(minimalWith("model.path", "gs://models/fraud")), "model.path", "only local paths and s3://", "storage.googleapis.com");
  }

  @Test
  void shouldRefuseStoreKeysWhenNoModelIsInABucket() {
    for (String key : List.of("model.s3.endpoint", "model.s3.path.style", "model.s3.region", "model.cache.dir")) {
      String value = key.equals("model.s3.path.style") ? "true" : key.equals("model.cache.dir") ? "/tmp/x" : "http://h:9000";
      assertMentions(rejected(minimalWith(key, value)), key, "model.path or shadow.model.path is an s3:// URI");
    }
  }

  @Test
  void shouldRefuseAnEndpointThatIsNotAnHttpUrlOrCarriesCredentials() {
    assertMentions(rejected(minimalWith("model.path", "s3://mmm/f", "model.s3.endpoint", "minio:9000")), "model.s3.endpoint", "http://");
    assertMentions(rejected(minimalWith("model.path", "s3://mmm/f", "model.s3.endpoint", "http://h:9000/?x=1")), "model.s3.endpoint");
    ConfigException e = rejected(minimalWith("model.path", "s3://mmm/f", "model.s3.endpoint", "http://key:s3cr3t@h:9000"));
    assertMentions(e, "model.s3.endpoint", "[hidden]", "default chain");
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void shouldRefuseARelativeCacheDirectory() {
    assertMentions(rejected(minimalWith("model.path", "s3://mmm/f", "model.cache.dir", "cache")), "model.cache.dir", "absolute");
  }
}
