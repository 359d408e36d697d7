package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.broker.EmbeddedKafkaBroker;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamScore against a secured broker: a SASL_SSL listener (TLS with a certificate made here by
 * keytool; SCRAM-SHA-512 and PLAIN users), KRaft's StandardAuthorizer with ACLs and no access
 * without one. Secrets reach StreamScore through environment variables, as in a container.
 */
class SecureKafkaIntegrationTest {
  private static final String TRUST_PASSWORD = "trust-store-pass";
  private static EmbeddedKafkaBroker broker;
  private static Path truststore;

  @TempDir
  static Path temp;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path keystore = temp.resolve("broker.p12");
    truststore = temp.resolve("truststore.p12");
    Path cert = temp.resolve("broker.pem");
    run(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "3", "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", "broker-key-pass", "-keypass", "broker-key-pass");
    run(keytool, "-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", "broker-key-pass", "-rfc",
        "-file", cert.toString());
    run(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore", truststore.toString(),
        "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
    Map<String, String> security = new LinkedHashMap<>();
    security.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
    security.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    security.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_carol=\"carol-secret\";");
    security.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
    security.put("listener.name.sasl_ssl.ssl.keystore.password", "broker-key-pass");
    security.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    security.put("listener.name.sasl_ssl.ssl.key.password", "broker-key-pass");
    security.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // The PLAINTEXT and controller listeners are the broker's own and the test's admin door.
    security.put("super.users", "User:ANONYMOUS");
    security.put("allow.everyone.if.no.acl.found", "false");
    broker = EmbeddedKafkaBroker.start(Files.createTempDirectory("streamscore-secure-kafka-"), true, security, List.of("SASL_SSL"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.alterUserScramCredentials(List.of(
          new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "alice-secret"),
          new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "bob-secret"))).all().get();
      List<AclBinding> acls = new ArrayList<>();
      for (String user : List.of("User:alice", "User:carol")) {
        acls.add(allow(ResourceType.TOPIC, "sec-", user, AclOperation.ALL));
        acls.add(allow(ResourceType.GROUP, "sec-", user, AclOperation.ALL));
        acls.add(allow(ResourceType.TRANSACTIONAL_ID, "sec-", user, AclOperation.ALL));
        acls.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
            new AccessControlEntry(user, "*", AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW)));
      }
      // bob may read and describe everything StreamScore uses, but not write.
      for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
        acls.add(allow(ResourceType.TOPIC, "sec-", "User:bob", operation));
      }
      acls.add(allow(ResourceType.GROUP, "sec-", "User:bob", AclOperation.READ));
      admin.createAcls(acls).all().get();
    }
  }

  private static AclBinding allow(ResourceType type, String prefix, String principal, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** A fresh set of topics (created by the admin) and StreamScore's settings for them. */
  private Map<String, String> settings(String run) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", broker.listener("SASL_SSL"));
    settings.put("application.id", "sec-" + run);
    settings.put("output.topic", "sec-out-" + run);
    settings.put("dead.letter.topic", "sec-dlq-" + run);
    settings.put("source.terminal.topics", "sec-terminal-" + run);
    settings.put("source.web.topics", "sec-web-" + run);
    settings.put("source.mobile.topics", "sec-mobile-" + run);
    settings.put("topics.create", "false");
    settings.put("num.stream.threads", "1");
    settings.put("kafka.security.protocol", "SASL_SSL");
    settings.put("kafka.ssl.truststore.location", truststore.toString());
    settings.put("kafka.ssl.truststore.type", "PKCS12");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String key : List.of("output.topic", "dead.letter.topic", "source.terminal.topics", "source.web.topics", "source.mobile.topics")) {
        topics.add(new NewTopic(settings.get(key), 2, (short) 1));
      }
      admin.createTopics(topics).all().get();
      TopicAdmin.awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
    }
    return settings;
  }

  /** Credentials as a container gets them: environment variables, never the command line. */
  private static Map<String, String> credentials(String mechanism, String user, String password) {
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return Map.of("STREAMSCORE_KAFKA_SASL_MECHANISM", mechanism,
        "STREAMSCORE_KAFKA_SASL_JAAS_CONFIG", module + " required username=\"" + user + "\" password=\"" + password + "\";",
        "STREAMSCORE_KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUST_PASSWORD);
  }

  @Test
  void shouldReadAndWriteItsTopicsWithScramCredentialsOverTls() throws Exception {
    assertScores(credentials("SCRAM-SHA-512", "alice", "alice-secret"));
  }

  @Test
  void shouldReadAndWriteItsTopicsWithPlainCredentialsOverTls() throws Exception {
    assertScores(credentials("PLAIN", "carol", "carol-secret"));
  }

  private void assertScores(Map<String, String> environment) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), environment, settings(run));
    try (StreamScoreService service = StreamScoreService.start(config)) {
      int count = 60;
      try (KafkaProducer<byte[], byte[]> producer = EmbeddedKafka.producer(broker.bootstrapServers())) {
        var generator = SyntheticRecords.forSchema(SchemaFiles.read("schema", config.sources().get(0).schema()), 2, 0).orElseThrow();
        for (int i = 0; i < count; i++) {
          var record = generator.next();
          producer.send(new ProducerRecord<>(config.sources().get(0).topics().get(0), record.key(), record.value()));
        }
      }
      int predictions = 0;
      try (KafkaConsumer<byte[], byte[]> consumer = EmbeddedKafka.consumerFromBeginning(broker.bootstrapServers(), config.outputTopic())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (predictions < count && System.nanoTime() < deadline) {
          predictions += consumer.poll(Duration.ofMillis(500)).count();
        }
      }
      assertEquals(count, predictions, "StreamScore read its input and wrote its predictions through the secured listener");
    }
  }

  @Test
  void shouldStopAtOnceWithAClearErrorOnWrongCredentials() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), credentials("SCRAM-SHA-512", "alice", "not-alices-password"), settings(run));
    KafkaAccessCheck.KafkaAccessException e = assertThrows(KafkaAccessCheck.KafkaAccessException.class, () -> StreamScoreService.start(config));
    assertTrue(e.getMessage().contains("cannot log in to Kafka at " + broker.listener("SASL_SSL")), e.getMessage());
    assertTrue(e.getMessage().contains("sasl.mechanism=SCRAM-SHA-512"), e.getMessage());
    assertFalse(e.getMessage().contains("not-alices-password"), "the password is not echoed");
  }

  @Test
  void shouldNameTheTopicAndOperationAnAclDenies() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), credentials("SCRAM-SHA-512", "bob", "bob-secret"), settings(run));
    KafkaAccessCheck.KafkaAccessException e = assertThrows(KafkaAccessCheck.KafkaAccessException.class, () -> StreamScoreService.start(config));
    assertTrue(e.getMessage().contains("WRITE on topic 'sec-out-" + run + "' (output.topic)"), e.getMessage());
    assertTrue(e.getMessage().contains("WRITE on topic 'sec-dlq-" + run + "' (dead.letter.topic)"), e.getMessage());
    assertFalse(e.getMessage().contains("READ on topic"), "bob may read the inputs: " + e.getMessage());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
  }
}
