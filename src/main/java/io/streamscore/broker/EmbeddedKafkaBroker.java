package io.streamscore.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, one combined broker and controller node, PLAINTEXT on
 * 127.0.0.1) in a child JVM started from the Kafka jars on this JVM's class path. Used when no
 * bootstrap servers are configured, by the demo, and by the integration tests where Docker is not
 * available. Its memory is not this JVM's, so it does not distort StreamScore's own figures.
 *
 * <p>{@link #start} returns once the broker answers an admin request. {@link #close} stops it and,
 * when the data directory was temporary, deletes it. Not thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final List<String> command;
  private final Path dataDir;
  private final boolean temporary;
  private final String bootstrapServers;
  private final Map<String, String> listeners = new java.util.HashMap<>();
  private Process process;
  private OutputStream keepAlive;

  private EmbeddedKafkaBroker(List<String> command, Path dataDir, boolean temporary, String bootstrapServers) throws IOException {
    this.command = List.copyOf(command);
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.bootstrapServers = bootstrapServers;
    launch();
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile()))
        .start();
    keepAlive = process.getOutputStream();
  }

  /** Starts a broker in a fresh temporary directory. */
  public static EmbeddedKafkaBroker start() {
    try {
      return start(Files.createTempDirectory("streamscore-kafka-"), true, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the embedded broker", e);
    }
  }

  /**
   * Starts a broker storing its data in {@code dataDir}.
   *
   * @param temporary delete {@code dataDir} on close
   * @param extraConfig broker settings added to, or replacing, the defaults
   */
  public static EmbeddedKafkaBroker start(Path dataDir, boolean temporary, Map<String, String> extraConfig) {
    return start(dataDir, temporary, extraConfig, List.of());
  }

  /**
   * Starts a broker with additional listeners besides PLAINTEXT, each named after its security
   * protocol (for example {@code SASL_SSL}) on a free port of its own; {@link #listener(String)}
   * gives its address. The PLAINTEXT listener stays, for the broker's own use and for readiness.
   */
  public static EmbeddedKafkaBroker start(Path dataDir, boolean temporary, Map<String, String> extraConfig, List<String> extraListeners) {
    try {
      Files.createDirectories(dataDir);
      int port = freePort();
      int controllerPort = freePort();
      Properties config = new Properties();
      config.put("process.roles", "broker,controller");
      config.put("node.id", "1");
      config.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
      StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + port);
      StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      Map<String, String> extraAddresses = new java.util.LinkedHashMap<>();
      for (String protocol : extraListeners) {
        int extraPort = freePort();
        listeners.append(',').append(protocol).append("://127.0.0.1:").append(extraPort);
        advertised.append(',').append(protocol).append("://127.0.0.1:").append(extraPort);
        protocols.append(',').append(protocol).append(':').append(protocol);
        extraAddresses.put(protocol, "127.0.0.1:" + extraPort);
      }
      config.put("listeners", listeners.toString());
      config.put("advertised.listeners", advertised.toString());
      config.put("controller.listener.names", "CONTROLLER");
      config.put("inter.broker.listener.name", "PLAINTEXT");
      config.put("listener.security.protocol.map", protocols.toString());
      config.put("log.dirs", dataDir.resolve("logs").toString());
      config.put("offsets.topic.replication.factor", "1");
      config.put("offsets.topic.num.partitions", "4");
      config.put("transaction.state.log.replication.factor", "1");
      config.put("transaction.state.log.min.isr", "1");
      config.put("transaction.state.log.num.partitions", "4");
      config.put("share.coordinator.state.topic.replication.factor", "1");
      config.put("share.coordinator.state.topic.min.isr", "1");
      config.put("group.initial.rebalance.delay.ms", "0");
      // Streams-protocol groups (group.protocol=streams) take their session and heartbeat from the
      // broker, not the client: 45 s and 5 s by default. A killed pod's tasks wait a session for a
      // new owner, and a task that moves waits up to two heartbeats (the old owner learns of the
      // revocation at one, the new owner of its assignment at the next). 10 s and 0.2 s: at 0.5 s a
      // moved partition's first predictions waited up to a second, most of a new pod's first
      // 1,000 predictions' p99 (docs/performance.md, Start-up); the minimums are lowered to allow them.
      config.put("group.streams.min.session.timeout.ms", "6000");
      config.put("group.streams.session.timeout.ms", "10000");
      config.put("group.streams.min.heartbeat.interval.ms", "100");
      config.put("group.streams.heartbeat.interval.ms", "200");
      config.put("num.partitions", "4");
      config.put("auto.create.topics.enable", "false");
      config.putAll(extraConfig);
      Path properties = dataDir.resolve("server.properties");
      try (var writer = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
        config.store(writer, "StreamScore embedded broker");
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xms256m");
      command.add("-Xmx1g");
      command.add("-XX:+UseG1GC");
      command.add("-Dlogback.configurationFile=logback-broker.xml");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(BrokerMain.class.getName());
      command.add(properties.toString());
      command.add(Uuid.randomUuid().toString());
      Path logFile = dataDir.resolve("broker.log");
      String bootstrap = "127.0.0.1:" + port;
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(command, dataDir, temporary, bootstrap);
      broker.listeners.putAll(extraAddresses);
      try {
        broker.awaitReady(logFile);
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      log.info("Embedded Kafka broker (KRaft, pid {}) ready at {}; data and log in {}", broker.pid(), bootstrap, dataDir);
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady(Path logFile) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin admin = Admin.create(adminConfig)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the embedded Kafka broker exited with code " + process.exitValue()
              + " before it was ready; its log is " + logFile + ":\n" + tail(logFile));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Not listening yet: the admin call itself waits between attempts, so this loop does not spin.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the embedded Kafka broker did not answer within " + START_TIMEOUT.toSeconds()
              + " s; its log is " + logFile + ":\n" + tail(logFile));
        }
      }
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Address of an extra listener started with {@link #start(Path, boolean, Map, List)}. */
  public String listener(String protocol) {
    String address = listeners.get(protocol);
    if (address == null) {
      throw new IllegalArgumentException("no " + protocol + " listener; this broker has " + listeners.keySet());
    }
    return address;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker process and keeps its data, for {@link #restart()} (outage tests). */
  public void stop() {
    stopProcess();
  }

  /** Starts the broker again on the same ports and data, and waits until it answers. */
  public void restart() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the embedded Kafka broker: " + e.getMessage(), e);
    }
    awaitReady(dataDir.resolve("broker.log"));
  }

  private void stopProcess() {
    try {
      keepAlive.close();
    } catch (IOException ignored) {
      // The child exits on end of input; a pipe that is already broken means it is gone.
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopProcess();
    if (temporary) {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete the embedded broker's directory {}: {}", dir, e.getMessage());
    }
  }
}
