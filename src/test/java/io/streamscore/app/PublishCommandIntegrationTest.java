package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish --continuous} as the local stack runs it: one JVM feeding several sources until
 * SIGTERM, which it answers by flushing, saying how many records it sent, and exiting 0.
 */
class PublishCommandIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafka KAFKA = new EmbeddedKafka();

  private static final List<String> TOPICS = List.of("payments.card-terminal", "payments.web-checkout", "payments.mobile-app");

  @TempDir
  Path temp;

  @Test
  void shouldPublishToEverySourceUntilSigtermThenFlushAndExitZero() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
    }
    Path out = temp.resolve("publish.out");
    Process publisher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), StreamScoreCommand.class.getName(), "publish",
        "--set", "bootstrap.servers=" + KAFKA.bootstrapServers(), "--source", "terminal,web,mobile", "--continuous", "--rate", "500")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    Map<String, Integer> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.consumer(TOPICS.toArray(String[]::new))) {
      // Running: records reach every source's topic while the process is alive.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (TOPICS.stream().anyMatch(t -> seen.getOrDefault(t, 0) < 50) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.merge(r.topic(), 1, Integer::sum));
      }
      assertTrue(publisher.isAlive(), "still publishing: " + Files.readString(out));
      TOPICS.forEach(t -> assertTrue(seen.getOrDefault(t, 0) >= 50, "records on " + t + ": " + seen));

      publisher.destroy(); // SIGTERM
      assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
      String output = Files.readString(out);
      assertEquals(0, publisher.exitValue(), output);
      assertTrue(output.contains("SIGTERM received"), output);
      Matcher sent = Pattern.compile("Sent (\\d+) record\\(s\\) on \\S+ \\(payments.card-terminal (\\d+), payments.web-checkout (\\d+),"
          + " payments.mobile-app (\\d+)\\)").matcher(output);
      assertTrue(sent.find(), output);

      // Everything it says it sent was flushed before it exited, and the sources took turns.
      long total = Long.parseLong(sent.group(1));
      long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.values().stream().mapToLong(Integer::longValue).sum() < total && System.nanoTime() < drainDeadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.merge(r.topic(), 1, Integer::sum);
        }
      }
      assertEquals(total, seen.values().stream().mapToLong(Integer::longValue).sum(), "records on the topics " + seen);
      for (int i = 0; i < TOPICS.size(); i++) {
        assertEquals(Long.parseLong(sent.group(i + 2)), seen.get(TOPICS.get(i)).longValue(), TOPICS.get(i));
      }
      long most = seen.values().stream().mapToLong(Integer::longValue).max().orElseThrow();
      long least = seen.values().stream().mapToLong(Integer::longValue).min().orElseThrow();
      assertTrue(most - least <= 1, "one record each in turn: " + seen);
    } finally {
      publisher.destroyForcibly();
    }
  }

  @Test
  void shouldKeyEachJsonLineByItsFieldSoRecordsOfOneKeyShareAPartitionWhenKeyIsGiven() throws Exception {
    String topic = "payments.web-checkout.keyed";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("{\"order_id\":\"o-" + (i % 5) + "\",\"total\":" + (10 + i) + ".5,\"merchant_category_code\":\"electronics\",\"checkout_hour\":3,"
          + "\"customer_account_age_days\":4,\"recent_order_counts\":[2,5,9],\"shipping_distance_km\":420.0}");
    }
    // A line without the key field: reported by name, not sent, and the rest still go.
    lines.add(20, "{\"total\":1.0,\"merchant_category_code\":\"electronics\",\"checkout_hour\":3,\"customer_account_age_days\":4,"
        + "\"recent_order_counts\":[2,5,9],\"shipping_distance_km\":1.0}");
    Path input = temp.resolve("orders.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path out = temp.resolve("publish-keyed.out");
    Process publisher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), StreamScoreCommand.class.getName(), "publish",
        "--set", "bootstrap.servers=" + KAFKA.bootstrapServers(), "--source", "web", "--topic", topic,
        "--json-lines", input.toString(), "--key", "order_id")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(publisher.waitFor(120, TimeUnit.SECONDS), "publish ends at the end of its file");
      String output = Files.readString(out);
      assertEquals(1, publisher.exitValue(), "a rejected line makes the exit code 1: " + output);
      assertTrue(output.contains("line 21 not sent: key field 'order_id' (--key) is missing"), output);
      assertTrue(output.contains("Sent 40 record(s) to " + topic), output);

      Map<String, Set<Integer>> partitionsByKey = new TreeMap<>();
      int read = 0;
      try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.consumer(topic)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read < 40 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            assertTrue(r.key() != null, "every record carries its key: " + r);
            partitionsByKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new java.util.TreeSet<>()).add(r.partition());
            read++;
          }
        }
      }
      assertEquals(40, read, "records on " + topic);
      assertEquals(Set.of("o-0", "o-1", "o-2", "o-3", "o-4"), partitionsByKey.keySet(), "the keys are the lines' order_id values");
      partitionsByKey.forEach((key, partitions) -> assertEquals(1, partitions.size(), "records keyed " + key + " in one partition: " + partitions));
    } finally {
      publisher.destroyForcibly();
    }
  }
}
