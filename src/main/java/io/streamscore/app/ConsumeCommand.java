package io.streamscore.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.output.PredictionDecoder;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints the predictions and dead letters StreamScore wrote, one JSON object per line, so a person
 * sees the result of a record without writing a consumer.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = {"Prints predictions and dead letters as JSON lines.",
        "Reads output.topic and dead.letter.topic read_committed (no consumer group, no offsets committed) and prints one JSON object",
        "per record: {\"kind\":\"prediction\",...,\"prediction\":{lineage, model, outputs}} in any output.format, or",
        "{\"kind\":\"dead_letter\",...,\"reason\":...} with the dead-letter headers. Without --follow it stops at the end of the topics",
        "as they were when it started, or once --max-records records were printed (waiting up to --timeout for them).",
        "Example: streamscore consume --set bootstrap.servers=127.0.0.1:9092 --from-beginning",
        "Example: streamscore consume --set bootstrap.servers=127.0.0.1:9092 --follow --no-dead-letters"})
final class ConsumeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  ConfigOptions configOptions;

  @Spec
  CommandSpec spec;

  @Option(names = "--from-beginning", description = "Start at the earliest records. Default: only records written from now on.")
  boolean fromBeginning;

  @Option(names = "--max-records", paramLabel = "N", description = "Stop after N records.")
  Integer maxRecords;

  @Option(names = "--follow", description = "Keep printing new records until stopped (Ctrl-C).")
  boolean follow;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Without --follow: longest wait for --max-records records to arrive (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--no-dead-letters", description = "Print predictions only.")
  boolean noDeadLetters;

  @Override
  public Integer call() {
    StreamScoreConfig config = configOptions.load(Map.of());
    String bootstrap = config.bootstrapServers().orElseThrow(() -> new ParameterException(spec.commandLine(),
        "consume needs a running broker: set bootstrap.servers (e.g. --set bootstrap.servers=127.0.0.1:9092 or STREAMSCORE_BOOTSTRAP_SERVERS)"));
    Optional<SchemaLookup> registry = config.schemaRegistry().map(SchemaRegistryClient::new);
    PredictionDecoder decoder = new PredictionDecoder(registry);
    List<String> topics = new ArrayList<>(List.of(config.outputTopic()));
    if (!noDeadLetters) {
      topics.add(config.deadLetterTopic());
    }
    Properties p = config.clientProperties(bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    java.io.PrintWriter out = spec.commandLine().getOut();
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(line(record, config, decoder));
          printed++;
          if (maxRecords != null && printed >= maxRecords) {
            out.flush();
            return 0;
          }
        }
        out.flush();
        if (follow) {
          continue;
        }
        boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
        if (maxRecords == null ? atEnd : System.nanoTime() > deadline) {
          break;
        }
      }
    }
    if (maxRecords != null && printed < maxRecords) {
      spec.commandLine().getErr().println("consume: " + printed + " of " + maxRecords + " record(s) arrived within " + timeoutSeconds + " s");
      return 1;
    }
    return 0;
  }

  static String line(ConsumerRecord<byte[], byte[]> record, StreamScoreConfig config, PredictionDecoder decoder) {
    ObjectNode node = JSON.createObjectNode();
    boolean dead = record.topic().equals(config.deadLetterTopic());
    node.put("kind", dead ? "dead_letter" : "prediction");
    node.put("topic", record.topic());
    node.put("partition", record.partition());
    node.put("offset", record.offset());
    putBytes(node, "key", record.key());
    if (dead) {
      node.put("reason", header(record, "__streams.errors.message"));
      node.put("exception", header(record, "__streams.errors.exception"));
      node.put("input_topic", header(record, "__streams.errors.topic"));
      node.put("input_partition", header(record, "__streams.errors.partition"));
      node.put("input_offset", header(record, "__streams.errors.offset"));
      putBytes(node, "value", record.value());
    } else {
      try {
        JsonNode prediction = decoder.toJson(record.value());
        node.set("prediction", prediction);
      } catch (IllegalArgumentException e) {
        node.put("error", e.getMessage());
        putBytes(node, "value", record.value());
      }
    }
    return node.toString();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** As text when the bytes are UTF-8, else as {@code <name>_base64}. */
  private static void putBytes(ObjectNode node, String name, byte[] bytes) {
    if (bytes == null) {
      node.putNull(name);
      return;
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      if (text.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
        node.put(name, text);
        return;
      }
    } catch (CharacterCodingException e) {
      // binary: below
    }
    node.put(name + "_base64", Base64.getEncoder().encodeToString(bytes));
  }
}
