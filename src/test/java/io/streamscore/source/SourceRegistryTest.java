package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.SourceDefinition;
import io.streamscore.support.DemoSignatures;
import io.streamscore.support.DemoSources;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SourceRegistryTest {

  /** A demo source with other topics: same schema and bindings, so it compiles against the demo signature. */
  private static SourceDefinition subscribing(String demoSource, String name, List<String> topics, String pattern) {
    SourceDefinition d = DemoSources.named(demoSource);
    return new SourceDefinition(name, topics, Optional.ofNullable(pattern).map(Pattern::compile), d.schema(),
        d.writerSchemas(), d.bindings());
  }

  private static SourceRegistry registry(SourceDefinition... definitions) {
    return SourceRegistry.create(List.of(definitions), DemoSignatures.fraudModel());
  }

  private static Optional<String> owner(SourceRegistry registry, String topic) {
    return registry.forTopic(topic).map(InputSource::name);
  }

  @Test
  void shouldBuildEveryDemoSourceAgainstTheDemoSignature() {
    SourceRegistry registry = SourceRegistry.create(DemoSources.all(), DemoSignatures.fraudModel());

    assertEquals(List.of("terminal", "web", "mobile"), registry.sources().stream().map(InputSource::name).toList());
    assertEquals(List.of("payments.card-terminal", "payments.web-checkout", "payments.mobile-app"), registry.namedTopics());
    assertEquals(Optional.of("web"), owner(registry, "payments.web-checkout"));
    assertFalse(registry.usesPatterns());
  }

  @Test
  void shouldGiveATopicToTheFirstSourceThatOwnsIt() {
    SourceRegistry registry = registry(
        subscribing("terminal", "eu-terminals", List.of("terminals.eu"), null),
        subscribing("terminal", "all-terminals", List.of(), "terminals\\..*"));

    assertEquals(Optional.of("eu-terminals"), owner(registry, "terminals.eu"), "named by both; the first source wins");
    assertEquals(Optional.of("all-terminals"), owner(registry, "terminals.us"));
    assertEquals(Optional.empty(), owner(registry, "refunds"));
    assertTrue(registry.usesPatterns());
  }

  @Test
  void shouldGiveATopicToTheFirstSourceEvenWhenThatOneMatchesByPattern() {
    SourceRegistry registry = registry(
        subscribing("terminal", "all-terminals", List.of(), "terminals\\..*"),
        subscribing("terminal", "eu-terminals", List.of("terminals.eu"), null));

    assertEquals(Optional.of("all-terminals"), owner(registry, "terminals.eu"));
  }

  @Test
  void shouldMatchNamedTopicsLiterallyInTheSubscriptionPattern() {
    SourceRegistry registry = registry(subscribing("terminal", "terminal", List.of("payments.card-terminal"), null));

    Pattern pattern = registry.subscriptionPattern();

    assertTrue(pattern.matcher("payments.card-terminal").matches());
    assertFalse(pattern.matcher("paymentsXcard-terminal").matches(), "a '.' in a topic name is not a wildcard");
    assertFalse(pattern.matcher("payments.card-terminal.dlq").matches(), "the whole name must match");
  }

  @Test
  void shouldCombineNamedTopicsAndPatternsInTheSubscriptionPattern() {
    SourceRegistry registry = registry(
        subscribing("terminal", "terminal", List.of("payments.card-terminal"), null),
        subscribing("web", "web", List.of(), "web\\.(eu|us)"),
        subscribing("mobile", "mobile", List.of("mobile.a", "mobile.b"), "mobile-v\\d+"));

    Pattern pattern = registry.subscriptionPattern();

    for (String topic : List.of("payments.card-terminal", "web.eu", "web.us", "mobile.a", "mobile.b", "mobile-v2")) {
      assertTrue(pattern.matcher(topic).matches(), topic);
      assertTrue(registry.forTopic(topic).isPresent(), topic + " must have an owner when the subscription matches it");
    }
    for (String topic : List.of("web.de", "web.eu.dlq", "mobile.c", "mobile-vx", "payments.fraud-scores")) {
      assertFalse(pattern.matcher(topic).matches(), topic);
      assertTrue(registry.forTopic(topic).isEmpty(), topic);
    }
  }

  // Seen while fuzzing the registry's answers: a subject whose latest schema the client refuses escaped start-up
  // as a RegistryException with a stack trace; only an unknown subject was a ConfigException.
  @Test
  void shouldStopStartUpNamingTheSubjectKeyWhenTheRegistryRefusesTheSubjectsLatestSchema() {
    SourceDefinition web = DemoSources.named("web");
    SourceDefinition bySubject = new SourceDefinition(web.name(), web.topics(), web.topicPattern(), null, web.writerSchemas(),
        web.bindings(), Optional.empty(), Optional.of("payments.web-checkout-value"));
    io.streamscore.registry.SchemaLookup refusing = new io.streamscore.registry.SchemaLookup() {
      @Override
      public org.apache.avro.Schema schemaById(int id) {
        throw new AssertionError("start-up reads the subject only");
      }

      @Override
      public org.apache.avro.Schema latestSchema(String subject) {
        throw new io.streamscore.registry.RegistryException("subject '" + subject + "' in the registry fake://registry is not a valid"
            + " Avro schema (AvroTypeException: Undefined schema: nosuch)");
      }

      @Override
      public String describe() {
        return "fake://registry";
      }
    };

    org.apache.kafka.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.apache.kafka.common.config.ConfigException.class,
        () -> SourceRegistry.create(List.of(bySubject), DemoSignatures.fraudModel(), Integer.MAX_VALUE, Optional.of(refusing)));

    assertTrue(e.getMessage().contains("source.web.schema.subject"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot use the subject's latest schema: subject 'payments.web-checkout-value'"), e.getMessage());
    assertTrue(e.getMessage().contains("Undefined schema: nosuch"), e.getMessage());
  }
}
