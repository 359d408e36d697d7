package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static StreamScoreConfig demo() {
    return ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
  }

  private static SourceDefinition source(StreamScoreConfig config, String name) {
    return config.sources().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no source " + name + " in " + config.sources()));
  }

  private static InputBinding binding(SourceDefinition source, String input) {
    return source.bindings().stream().filter(b -> b.input().equals(input)).findFirst()
        .orElseThrow(() -> new AssertionError("source " + source.name() + " does not bind " + input));
  }

  @Test
  void shouldParseTheBundledDemoConfigIntoThreeSourcesInConfigurationOrder() {
    StreamScoreConfig config = demo();

    assertEquals(List.of("terminal", "web", "mobile"), config.sources().stream().map(SourceDefinition::name).toList());
    assertEquals(List.of("payments.card-terminal"), source(config, "terminal").topics());
    assertEquals(List.of("payments.web-checkout"), source(config, "web").topics());
    assertEquals(List.of("payments.mobile-app"), source(config, "mobile").topics());
    config.sources().forEach(s -> assertTrue(s.topicPattern().isEmpty(), s.name() + " subscribes by name only"));
    assertEquals("payments.fraud-scores", config.outputTopic());
    assertEquals("payments.fraud-scores.dlq", config.deadLetterTopic());
    assertEquals("streamscore-demo", config.applicationId());
    assertTrue(config.bootstrapServers().isEmpty(), "an empty bootstrap.servers asks for the embedded broker");
  }

  @Test
  void shouldBindEveryDemoModelInputForEverySource() {
    List<String> inputs = List.of("account_age_days", "amount", "card_present", "distance_km", "hour_of_day",
        "merchant_category", "velocity");
    for (SourceDefinition source : demo().sources()) {
      assertEquals(inputs, source.bindings().stream().map(InputBinding::input).sorted().toList(), source.name());
    }
  }

  @Test
  void shouldReadTheDemoTerminalSourceWithNestedPathsAndThreeVelocityFields() {
    SourceDefinition terminal = source(demo(), "terminal");

    assertEquals(Path.of("schemas/CardTerminalPayment.avsc"), terminal.schema());
    assertEquals(List.of(), terminal.writerSchemas());
    assertEquals(new InputBinding.Fields("merchant_category", List.of("merchant.category"), Optional.empty()),
        binding(terminal, "merchant_category"));
    assertEquals(new InputBinding.Fields("velocity", List.of("velocity.last_hour", "velocity.last_day", "velocity.last_week"),
        Optional.empty()), binding(terminal, "velocity"));
  }

  @Test
  void shouldReadTheDemoWebSourceWithAConstantCardPresentAndADefaultDistance() {
    SourceDefinition web = source(demo(), "web");

    assertEquals(List.of(Path.of("schemas/history/WebCheckoutPayment-v1.avsc")), web.writerSchemas());
    assertEquals(new InputBinding.Constant("card_present", "false"), binding(web, "card_present"));
    assertEquals(new InputBinding.Fields("distance_km", List.of("shipping_distance_km"), Optional.of("0.0")),
        binding(web, "distance_km"));
    assertEquals(new InputBinding.Fields("velocity", List.of("recent_order_counts"), Optional.empty()),
        binding(web, "velocity"));
  }

  @Test
  void shouldReadTheDemoMobileSourceWithoutConstants() {
    SourceDefinition mobile = source(demo(), "mobile");

    assertEquals(new InputBinding.Fields("card_present", List.of("nfc_tap"), Optional.empty()), binding(mobile, "card_present"));
    assertTrue(mobile.bindings().stream().noneMatch(b -> b instanceof InputBinding.Constant));
  }

  @Test
  void shouldLetTheBootstrapServersVariableSetBootstrapServers() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(),
        Map.of("STREAMSCORE_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092"), Map.of());

    assertEquals(Optional.of("broker-1:9092,broker-2:9092"), config.bootstrapServers());
  }

  @Test
  void shouldReadADoubleUnderscoreInAVariableNameAsAnUnderscoreInTheKey() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(),
        Map.of("STREAMSCORE_SOURCE_WEB_INPUT_HOUR__OF__DAY", "order_id"), Map.of());

    assertEquals(new InputBinding.Fields("hour_of_day", List.of("order_id"), Optional.empty()),
        binding(source(config, "web"), "hour_of_day"));
    assertEquals(new InputBinding.Fields("hour_of_day", List.of("local_hour"), Optional.empty()),
        binding(source(config, "terminal"), "hour_of_day"), "other sources keep their binding");
  }

  @Test
  void shouldIgnoreVariablesWithoutTheStreamScorePrefix() {
    Map<String, String> environment = Map.of("BOOTSTRAP_SERVERS", "elsewhere:9092", "PATH", "/usr/bin", "STREAMSCORE_", "x");

    assertEquals(Map.of(), ConfigLoader.fromEnvironment(environment));
    assertTrue(ConfigLoader.load(Optional.empty(), environment, Map.of()).bootstrapServers().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bootstrap.servers", "source.web.input.hour_of_day", "source.card-terminal.input.velocity",
      "kafka.max.poll.interval.ms", "source.a-b.default.x_y_z", "kafka.some_odd-key.name"})
  void shouldRoundTripKeysThroughTheirEnvironmentVariableName(String key) {
    String variable = StreamScoreConfig.environmentVariableFor(key);

    assertTrue(variable.startsWith(ConfigLoader.ENV_PREFIX), variable);
    assertTrue(variable.matches("[A-Z0-9_]+"), variable + " must be a portable variable name");
    assertEquals(key, ConfigLoader.keyFor(variable));
  }

  @Test
  void shouldSpellTheDocumentedExampleVariables() {
    assertEquals("STREAMSCORE_BOOTSTRAP_SERVERS", StreamScoreConfig.environmentVariableFor("bootstrap.servers"));
    assertEquals("STREAMSCORE_SOURCE_WEB_INPUT_HOUR__OF__DAY",
        StreamScoreConfig.environmentVariableFor("source.web.input.hour_of_day"));
    assertEquals("source.card-terminal.topics", ConfigLoader.keyFor("STREAMSCORE_SOURCE_CARD___TERMINAL_TOPICS"));
  }

  @Test
  void shouldLetEnvironmentOverrideTheFileAndExtraOverridesOverrideBoth(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("streamscore.properties");
    Files.writeString(file, String.join("\n",
        "sources=s",
        "source.s.topics=in",
        "source.s.schema=s.avsc",
        "output.topic=from-file",
        "dead.letter.topic=dlq-from-file",
        "application.id=app-from-file",
        ""), StandardCharsets.UTF_8);
    Map<String, String> environment = Map.of(
        "STREAMSCORE_OUTPUT_TOPIC", "from-env",
        "STREAMSCORE_DEAD_LETTER_TOPIC", "dlq-from-env");
    Map<String, String> extra = Map.of("output.topic", "from-extra");

    StreamScoreConfig config = ConfigLoader.load(Optional.of(file), environment, extra);

    assertEquals("from-extra", config.outputTopic(), "extra beats environment and file");
    assertEquals("dlq-from-env", config.deadLetterTopic(), "environment beats file");
    assertEquals("app-from-file", config.applicationId(), "the file applies where nothing overrides it");
  }

  @Test
  void shouldReadAConfigurationFileAndTrimItsValues(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("streamscore.properties");
    Files.writeString(file, String.join("\n",
        "# comment",
        "sources = orders",
        "source.orders.topic.pattern = orders\\\\..*   ",
        "source.orders.schema = schemas/Order.avsc",
        "source.orders.input.amount = total",
        "num.stream.threads = 3",
        ""), StandardCharsets.UTF_8);

    StreamScoreConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());

    SourceDefinition orders = source(config, "orders");
    assertEquals(List.of(), orders.topics());
    assertEquals(Optional.of("orders\\..*"), orders.topicPattern().map(Pattern::pattern));
    assertTrue(orders.owns("orders.eu"));
    assertTrue(!orders.owns("ordersXeu"), "the escaped dot matches a dot only");
    assertEquals(Path.of("schemas/Order.avsc"), orders.schema());
    assertEquals(3, config.numStreamThreads());
  }

  @Test
  void shouldNameTheMissingFileInTheError(@TempDir Path dir) {
    Path missing = dir.resolve("no-such.properties");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(missing), Map.of(), Map.of()));

    assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
  }

  // Found by PropertiesFileFuzzTest: each of these stopped start-up with a Java exception's stack trace, not a message.

  @ParameterizedTest
  @ValueSource(strings = {"model.path", "source.terminal.schema", "source.web.writer.schemas", "source.mobile.warmup.records",
      "embedded.broker.dir", "shadow.model.path"})
  void shouldStopStartUpNamingTheKeyWhenAPathHoldsANulCharacter(String key, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("streamscore.properties");
    Files.writeString(file, new String(Files.readAllBytes(Path.of("src/main/resources/streamscore-demo.properties")),
        StandardCharsets.UTF_8) + "\n" + key + "=schemas/war\\u0000le-app.jsonl\n", StandardCharsets.UTF_8);

    ConfigException e = assertThrows(ConfigException.class, () -> {
      StreamScoreConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
      config.modelPath();
      config.embeddedBrokerDir();
      config.shadowModelPath();
    });

    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("schemas/war\\u0000le-app.jsonl"), "the NUL is shown, not printed: " + e.getMessage());
    assertTrue(e.getMessage().contains("not a path"), e.getMessage());
  }

  @Test
  void shouldStopStartUpWithAMessageWhenTheFileHasAMalformedUnicodeEscape(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("streamscore.properties");
    Files.writeString(file, "model.path=C:\\umodels\n", StandardCharsets.UTF_8);

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));

    assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Malformed \\uxxxx encoding"), e.getMessage());
    assertTrue(e.getMessage().contains("write a literal backslash as two"), e.getMessage());
  }

  @Test
  void shouldStopStartUpWithAMessageWhenTheFileIsNotUtf8(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("streamscore.properties");
    Files.write(file, new byte[] {'a', '=', (byte) 0xE9, '\n'});

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));

    assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
  }
}
