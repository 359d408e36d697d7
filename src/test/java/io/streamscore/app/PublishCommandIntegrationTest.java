package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
