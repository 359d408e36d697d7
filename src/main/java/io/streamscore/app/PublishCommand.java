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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/** Sends records to one or more sources' topics, synthetic or converted from JSON lines. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Sends synthetic or JSON-lines records to sources' topics.", "Publishes records to configured sources' topics, encoded with each source's Avro schema",
        "(single-object encoding, or Confluent's wire format with --format confluent): N synthetic records per source (demo sources),",
        "synthetic records until SIGTERM or SIGINT (--continuous, paced with --rate), or one record per line of a JSON lines file.",
        "Several sources take turns, one record each. On SIGTERM or SIGINT it stops, flushes what it sent, and exits 0.",
        "Records converted from JSON lines have no key unless --key names the field that holds one: without a key the producer",
        "spreads them over the partitions, so records of one order or card lose their relative order, and their predictions",
        "(keyed as their input) have no key either. Synthetic records carry the demo's own keys.",
        "Example: streamscore publish --set bootstrap.servers=127.0.0.1:9092 --source web --json-lines schemas/warmup/web-checkout.jsonl --key order_id",
        "Example: streamscore publish --set bootstrap.servers=127.0.0.1:9092 --source terminal,web,mobile --continuous --rate 300",
        "Example: STREAMSCORE_SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 streamscore publish"
            + " --set bootstrap.servers=127.0.0.1:9092 --source terminal --count 100 --format confluent"})
final class PublishCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(PublishCommand.class);

  @Mixin
  ConfigOptions configOptions;

  @Spec
  CommandSpec spec;

  @Option(names = "--source", required = true, split = ",", paramLabel = "NAME",
      description = "Source name, as listed in 'sources'. Several (comma-separated or repeated) take turns, one record each.")
  List<String> sources;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--count", description = "Number of synthetic records to send to each source (demo sources only).")
    Integer count;

    @Option(names = "--continuous", description = "Send synthetic records until SIGTERM or SIGINT (demo sources only).")
    boolean continuous;

    @Option(names = "--json-lines", paramLabel = "FILE", description = "JSON lines file to convert and send (one source); '-' reads standard input.")
    String jsonLines;
  }

  @Option(names = "--key", paramLabel = "FIELD",
      description = {"With --json-lines: the record key is this field of each line, a dotted path into the JSON object"
          + " (customer.id); the key's bytes are the value's UTF-8 text (a string as is, a number or boolean as JSON writes it)."
          + " A line without the field, or with null, an object or an array there, is not sent and is reported (exit code 1).",
          "Without --key, JSON lines are sent with no key: spread over the partitions, they lose their per-key order."})
  String keyField;

  @Option(names = "--topic", description = "Topic to send to (one source only). Default: the source's first named topic.")
  String topic;

  @Option(names = "--format", defaultValue = "avro", paramLabel = "avro|confluent",
      description = "avro: Avro single-object encoding (default). confluent: Confluent's wire format; the source's schemas"
          + " (writer.schemas, then its reader schema) are registered under <topic>-value in schema.registry.url first.")
  String format;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for synthetic records (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "RECORDS_PER_SECOND",
      description = "Records per second over all sources; 0 (default) sends as fast as the broker takes them.")
  double rate;

  /** Where one source's records go, and how they are framed. */
  private record Target(String source, String topic, Schema schema, UnaryOperator<byte[]> encoding) {}

  @Override
  public Integer call() throws Exception {
    StreamScoreConfig config = configOptions.load(Map.of());
    String bootstrap = config.bootstrapServers().orElseThrow(() -> new ParameterException(spec.commandLine(),
        "publish needs a running broker: set bootstrap.servers (e.g. --set bootstrap.servers=127.0.0.1:9092 or STREAMSCORE_BOOTSTRAP_SERVERS)"));
    if (!format.equals("avro") && !format.equals("confluent")) {
      throw new ParameterException(spec.commandLine(), "--format takes avro or confluent, not '" + format + "'");
    }
    if (rate < 0) {
      throw new ParameterException(spec.commandLine(), "--rate takes a number of records per second, 0 or more, not " + rate);
    }
    if (keyField != null && what.jsonLines == null) {
      throw new ParameterException(spec.commandLine(), "--key takes --json-lines: synthetic records carry the demo's own keys");
    }
    if (keyField != null && !keyField.matches("[^.]+(\\.[^.]+)*")) {
      throw new ParameterException(spec.commandLine(), "--key takes a field path such as order_id or customer.id, not '" + keyField + "'");
    }
    if (sources.size() > 1 && (topic != null || what.jsonLines != null)) {
      throw new ParameterException(spec.commandLine(), (topic != null ? "--topic" : "--json-lines") + " takes one --source, not " + sources);
    }
    Optional<SchemaRegistryClient> registry = config.schemaRegistry().map(SchemaRegistryClient::new);
    if (format.equals("confluent") && registry.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--format confluent needs schema.registry.url (e.g. STREAMSCORE_SCHEMA_REGISTRY_URL)");
    }
    List<Target> targets = new ArrayList<>();
    for (String source : sources) {
      targets.add(target(config, source, registry));
    }
    StopRequest stopRequested = StopSignals.install(log, "stopping after flushing what was sent");
    Pacer pacer = new Pacer(rate, stopRequested);
    Properties producerConfig = config.clientProperties(bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    long[] sent = new long[targets.size()];
    long rejected = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      if (what.jsonLines == null) {
        List<SyntheticRecords.Generator> generators = new ArrayList<>();
        for (Target t : targets) {
          generators.add(SyntheticRecords.forSchema(t.schema(), seed, 0.1).orElseThrow(() -> new ParameterException(spec.commandLine(),
              "synthetic records exist for the demo schemas only, not " + t.schema().getFullName() + " (source '" + t.source()
                  + "'); use --json-lines")));
        }
        long rounds = what.continuous ? Long.MAX_VALUE : what.count;
        sending:
        for (long round = 0; round < rounds; round++) {
          for (int i = 0; i < targets.size(); i++) {
            if (!pacer.awaitTurn()) {
              break sending;
            }
            Target t = targets.get(i);
            SyntheticRecords.KeyedBytes record = generators.get(i).next();
            producer.send(new ProducerRecord<>(t.topic(), record.key(), t.encoding().apply(record.value())));
            sent[i]++;
          }
        }
      } else {
        Target t = targets.get(0);
        JsonRecords json = new JsonRecords(t.schema());
        try (BufferedReader reader = what.jsonLines.equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(what.jsonLines), StandardCharsets.UTF_8)) {
          String line;
          int lineNumber = 0;
          while ((line = reader.readLine()) != null && pacer.awaitTurn()) {
            lineNumber++;
            if (line.isBlank()) {
              continue;
            }
            byte[] value;
            byte[] key;
            try {
              key = keyField == null ? null : JsonRecords.keyOf(line, keyField);
              value = json.encode(line);
            } catch (IllegalArgumentException e) {
              System.err.println("line " + lineNumber + " not sent: " + e.getMessage());
              rejected++;
              continue;
            }
            producer.send(new ProducerRecord<>(t.topic(), key, t.encoding().apply(value)));
            sent[0]++;
          }
        }
      }
      producer.flush();
    }
    System.out.println(summary(targets, sent, bootstrap) + (format.equals("confluent") ? " in Confluent's wire format" : "")
        + (rejected > 0 ? "; " + rejected + " line(s) rejected, see above" : ""));
    return rejected > 0 ? 1 : 0;
  }

  private Target target(StreamScoreConfig config, String source, Optional<SchemaRegistryClient> registry) {
    SourceDefinition definition = config.sources().stream().filter(s -> s.name().equals(source)).findFirst()
        .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown source '" + source + "'; configured sources are "
            + config.sources().stream().map(SourceDefinition::name).toList()));
    String target = topic != null ? topic : definition.topics().stream().findFirst().orElseThrow(() -> new ParameterException(
        spec.commandLine(), "source '" + source + "' subscribes by pattern only; name the topic with --topic"));
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
    return new Target(source, target, schema, encoding);
  }

  private static String summary(List<Target> targets, long[] sent, String bootstrap) {
    long total = java.util.Arrays.stream(sent).sum();
    if (targets.size() == 1) {
      return "Sent " + total + " record(s) to " + targets.get(0).topic() + " on " + bootstrap;
    }
    StringBuilder each = new StringBuilder();
    for (int i = 0; i < targets.size(); i++) {
      each.append(i == 0 ? "" : ", ").append(targets.get(i).topic()).append(' ').append(sent[i]);
    }
    return "Sent " + total + " record(s) on " + bootstrap + " (" + each + ")";
  }

  /**
   * Spaces turns {@code 1/rate} seconds apart on a fixed schedule (a slow send does not shift the
   * ones after it), and ends them when a stop is requested. A rate of 0 never waits.
   */
  private static final class Pacer {
    private final long intervalNanos;
    private final StopRequest stopRequested;
    private long next = System.nanoTime();

    Pacer(double rate, StopRequest stopRequested) {
      this.intervalNanos = rate == 0 ? 0 : (long) (1e9 / rate);
      this.stopRequested = stopRequested;
    }

    /** Waits for the next turn; false once a stop has been requested. */
    boolean awaitTurn() throws InterruptedException {
      if (intervalNanos == 0) {
        return !stopRequested.requested();
      }
      long wait = next - System.nanoTime();
      next += intervalNanos;
      return wait > 0 ? !stopRequested.await(java.time.Duration.ofNanos(wait)) : !stopRequested.requested();
    }
  }
}
