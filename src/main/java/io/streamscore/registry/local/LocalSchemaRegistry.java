package io.streamscore.registry.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry on 127.0.0.1 for the demo and the integration tests: Apicurio Registry
 * ({@code io.apicurio:apicurio-registry-app}, a Quarkus app from Maven Central that the build
 * unpacks into {@code target/apicurio-registry}), serving Confluent's API under
 * {@code /apis/ccompat/v7}. It needs Java 21 or later, which is looked for beside the Java that
 * runs StreamScore (see {@link #findJava()}).
 *
 * <p>Its schemas are kept in an H2 file under the data directory, so {@link #stop()} then
 * {@link #restart()} brings back the same ids: a real outage, not a new registry. Not thread-safe.
 */
public final class LocalSchemaRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);
  public static final String API_PATH = "/apis/ccompat/v7";
  /** Overrides where the unpacked Apicurio distribution (the directory holding quarkus-run.jar) is. */
  public static final String DISTRIBUTION_PROPERTY = "streamscore.apicurio.dir";
  private static final int MIN_JAVA = 21;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path java;
  private final Path distribution;
  private final Path dataDir;
  private final int port;
  private final int managementPort;
  private Process process;

  private LocalSchemaRegistry(Path java, Path distribution, Path dataDir, int port, int managementPort) {
    this.java = java;
    this.distribution = distribution;
    this.dataDir = dataDir;
    this.port = port;
    this.managementPort = managementPort;
  }

  /** Why a local registry cannot start here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    if (findDistribution().isEmpty()) {
      return Optional.of("the Apicurio Registry distribution was not found (looked in " + distributionCandidates()
          + "); `mvn package` unpacks it into target/apicurio-registry");
    }
    if (findJava().isEmpty()) {
      return Optional.of("Apicurio Registry needs Java " + MIN_JAVA + "+ and none was found (looked at JAVA*_HOME variables, "
          + "the running Java and the JDKs under /usr/lib/jvm, /usr/java, /opt/java and ~/.sdkman)");
    }
    return Optional.empty();
  }

  /** Starts a registry with a fresh data directory and waits until it answers. */
  public static LocalSchemaRegistry start() {
    try {
      return start(Files.createTempDirectory("streamscore-registry-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LocalSchemaRegistry start(Path dataDir) {
    Optional<String> reason = unavailableReason();
    if (reason.isPresent()) {
      throw new IllegalStateException("cannot start a local schema registry: " + reason.get());
    }
    LocalSchemaRegistry registry = new LocalSchemaRegistry(findJava().get(), findDistribution().get(), dataDir, freePort(), freePort());
    registry.launch();
    return registry;
  }

  /** The base URL StreamScore's {@code schema.registry.url} takes. */
  public String url() {
    return "http://127.0.0.1:" + port + API_PATH;
  }

  /** Stops the registry process (its schemas stay on disk). */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts it again, on the same port and with the same schemas. */
  public void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}", dataDir, e);
    }
  }

  private void launch() {
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-jar",
        distribution.resolve("quarkus-run.jar").toString())
        .directory(distribution.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("registry.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
    env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("APICURIO_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.resolve("db").toAbsolutePath());
    env.put("APICURIO_DATASOURCE_JDBC_INITIAL_SIZE", "2");
    env.put("APICURIO_DATASOURCE_JDBC_MIN_SIZE", "2");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + java + ": " + e.getMessage(), e);
    }
    awaitAnswer();
    log.info("Local schema registry (Apicurio) at {}", url());
  }

  private void awaitAnswer() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the local schema registry exited with " + process.exitValue() + "; see " + dataDir.resolve("registry.log"));
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the local schema registry", e);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the local schema registry", e);
      }
    }
    stop();
    throw new IllegalStateException("the local schema registry did not answer within " + START_TIMEOUT.toSeconds() + " s; see "
        + dataDir.resolve("registry.log"));
  }

  /** The unpacked distribution: the system property, beside the running jar, or under target/. */
  public static Optional<Path> findDistribution() {
    return distributionCandidates().stream().filter(d -> Files.isRegularFile(d.resolve("quarkus-run.jar"))).findFirst();
  }

  private static List<Path> distributionCandidates() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty(DISTRIBUTION_PROPERTY)).ifPresent(d -> candidates.add(Path.of(d)));
    try {
      Path codeSource = Path.of(LocalSchemaRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/streamscore.jar or target/classes: both sit in target/
      candidates.add(codeSource.getParent().resolve("apicurio-registry"));
    } catch (Exception e) {
      // no code source (unusual class loaders): the working directory's target/ remains
    }
    candidates.add(Path.of("target", "apicurio-registry").toAbsolutePath());
    return candidates;
  }

  /**
   * A Java {@value #MIN_JAVA}+ launcher: from any {@code JAVA*_HOME} variable, the running Java, or
   * the JDK directories of common layouts, highest version first.
   */
  public static Optional<Path> findJava() {
    Set<Path> homes = new LinkedHashSet<>();
    System.getenv().forEach((name, value) -> {
      if (name.startsWith("JAVA") && name.endsWith("HOME") && !value.isBlank()) {
        homes.add(Path.of(value));
      }
    });
    homes.add(Path.of(System.getProperty("java.home")));
    List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
        Path.of(System.getProperty("user.home"), ".sdkman", "candidates", "java")));
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> dirs = Files.list(root)) {
          dirs.forEach(homes::add);
        } catch (IOException e) {
          // unreadable: skip
        }
      }
    }
    return homes.stream()
        .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
        .map(home -> Map.entry(home, majorVersion(home)))
        .filter(e -> e.getValue() >= MIN_JAVA)
        .max(Map.Entry.comparingByValue())
        .map(e -> e.getKey().resolve("bin").resolve("java"));
  }

  /** The major version in a JDK's {@code release} file; 0 when unknown. */
  private static int majorVersion(Path home) {
    Path release = home.resolve("release");
    try {
      Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release, StandardCharsets.UTF_8));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
