package io.streamscore.app;

import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.source.JsonRecords;
import io.streamscore.source.SchemaFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import io.streamscore.registry.RegistryException;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.registry.SingleObjectReframer;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Sends records to one source's topic, synthetic or converted from JSON lines. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Sends synthetic or JSON-lines records to a source's topic.", "Publishes records to a configured source's topic, encoded with the source's Avro schema",
        "(single-object encoding, or Confluent's wire format with --format confluent): N synthetic records (demo sources),",
        "or one record per line of a JSON lines file.",
        "Example: streamscore publish --set bootstrap.servers=127.0.0.1:9092 --source web --json-lines orders.jsonl"})
final class PublishCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions configOptions;

  @Spec
  CommandSpec spec;

  @Option(names = "--source", required = true, description = "Source name, as listed in 'sources'.")
  String source;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--count", description = "Number of synthetic records to send (demo sources only).")
    Integer count;

    @Option(names = "--json-lines", paramLabel = "FILE", description = "JSON lines file to convert and send; '-' reads standard input.")
    String jsonLines;
  }

  @Option(names = "--topic", description = "Topic to send to. Default: the source's first named topic.")
  String topic;

  @Option(names = "--format", defaultValue = "avro", paramLabel = "avro|confluent",
      description = "avro: Avro single-object encoding (default). confluent: Confluent's wire format; the source's schemas"
          + " (writer.schemas, then its reader schema) are registered under <topic>-value in schema.registry.url first.")
  String format;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for synthetic records (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    StreamScoreConfig config = configOptions.load(Map.of());
    SourceDefinition definition = config.sources().stream().filter(s -> s.name().equals(source)).findFirst()
        .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown source '" + source + "'; configured sources are "
            + config.sources().stream().map(SourceDefinition::name).toList()));
    String bootstrap = config.bootstrapServers().orElseThrow(() -> new ParameterException(spec.commandLine(),
        "publish needs a running broker: set bootstrap.servers (e.g. --set bootstrap.servers=127.0.0.1:9092 or STREAMSCORE_BOOTSTRAP_SERVERS)"));
    String target = topic != null ? topic : definition.topics().stream().findFirst().orElseThrow(() -> new ParameterException(
        spec.commandLine(), "source '" + source + "' subscribes by pattern only; name the topic with --topic"));
    if (!format.equals("avro") && !format.equals("confluent")) {
      throw new ParameterException(spec.commandLine(), "--format takes avro or confluent, not '" + format + "'");
    }
    Optional<SchemaRegistryClient> registry = config.schemaRegistry().map(SchemaRegistryClient::new);
    if (format.equals("confluent") && registry.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--format confluent needs schema.registry.url (e.g. STREAMSCORE_SCHEMA_REGISTRY_URL)");
    }
    Schema schema = definition.schemaSubject().isPresent()
        ? registry.orElseThrow(() -> new ParameterException(spec.commandLine(), "source '" + source + "' reads its schema from the registry;"
            + " set schema.registry.url")).latest(definition.schemaSubject().get()).schema()
        : SchemaFiles.read("source." + source + ".schema", definition.schema());
    UnaryOperator<byte[]> encoding = UnaryOperator.identity();
    if (format.equals("confluent")) {
      List<Schema> schemas = new ArrayList<>();
      definition.writerSchemas().forEach(p -> schemas.add(SchemaFiles.read("source." + source + ".writer.schemas", p)));
      schemas.add(schema);
      try {
        encoding = SingleObjectReframer.register(registry.get(), target + "-value", schemas)::reframe;
      } catch (RegistryException e) {
        throw new ParameterException(spec.commandLine(), "cannot register the schemas of source '" + source + "' under " + target
            + "-value: " + e.getMessage());
      }
    }
    Properties producerConfig = config.clientProperties(bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    long sent = 0;
    long rejected = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      if (what.count != null) {
        SyntheticRecords.Generator generator = SyntheticRecords.forSchema(schema, seed, 0.1).orElseThrow(() -> new ParameterException(
            spec.commandLine(), "synthetic records exist for the demo schemas only, not " + schema.getFullName() + "; use --json-lines"));
        for (int i = 0; i < what.count; i++) {
          SyntheticRecords.KeyedBytes record = generator.next();
          producer.send(new ProducerRecord<>(target, record.key(), encoding.apply(record.value())));
          sent++;
        }
      } else {
        JsonRecords json = new JsonRecords(schema);
        try (BufferedReader reader = what.jsonLines.equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(what.jsonLines), StandardCharsets.UTF_8)) {
          String line;
          int lineNumber = 0;
          while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
              continue;
            }
            byte[] value;
            try {
              value = json.encode(line);
            } catch (IllegalArgumentException e) {
              System.err.println("line " + lineNumber + " not sent: " + e.getMessage());
              rejected++;
              continue;
            }
            producer.send(new ProducerRecord<>(target, null, encoding.apply(value)));
            sent++;
          }
        }
      }
      producer.flush();
    }
    System.out.println("Sent " + sent + " record(s) to " + target + " on " + bootstrap + (format.equals("confluent") ? " in Confluent's wire format" : "")
        + (rejected > 0 ? "; " + rejected + " line(s) rejected, see above" : ""));
    return rejected > 0 ? 1 : 0;
  }
}
