package io.streamscore.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server on 127.0.0.1 for the integration tests: S3Proxy ({@code org.gaul:s3proxy},
 * from Maven Central, which the build copies into {@code target/s3proxy/s3proxy.jar}) on its
 * file-system back end, in its own JVM, requiring AWS v2 or v4 signatures. Its objects live in a
 * directory that outlives the process, so {@link #stop()} then {@link #restart()} is a real outage
 * of the same store. Not thread-safe.
 */
public final class LocalS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "streamscore-test";
  public static final String SECRET_KEY = "streamscore-test-secret";
  private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path directory;
  private final int port;
  private Process process;

  private LocalS3Server(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /** Why the server cannot start here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    return Files.isRegularFile(JAR) ? Optional.empty()
        : Optional.of(JAR + " is missing: `mvn package` copies S3Proxy there from Maven Central");
  }

  /** Starts a server over a fresh, empty store and waits until it answers. */
  public static LocalS3Server start() {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort(); // Closed before S3Proxy binds it.
      }
      LocalS3Server server = new LocalS3Server(Files.createTempDirectory("streamscore-s3-"), port);
      Files.createDirectories(server.directory.resolve("data"));
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client of this server with its credentials, path-style, as StreamScore's would be configured. */
  public S3Client client() {
    return client(ACCESS_KEY, SECRET_KEY);
  }

  public S3Client client(String accessKey, String secretKey) {
    // Checksums only where an operation requires them: the SDK's newer default (CRC trailers on
    // every upload) is what many S3-compatible stores, S3Proxy among them, do not accept yet.
    return S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** Uploads a local file as one object. */
  public void put(S3Client client, String bucket, String key, Path file) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  /**
   * The files of a local SavedModel directory, as paths relative to it with forward slashes:
   * saved_model.pb last, so that an upload in this order is the slowest to become whole.
   */
  public static List<String> files(Path versionDirectory) {
    try (java.util.stream.Stream<Path> paths = Files.walk(versionDirectory)) {
      return paths.filter(Files::isRegularFile).map(p -> versionDirectory.relativize(p).toString().replace('\\', '/'))
          .sorted(java.util.Comparator.comparing((String f) -> f.equals("saved_model.pb")).thenComparing(f -> f)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uploads a local SavedModel directory as version {@code version} under {@code prefix} (no trailing slash; empty for the root), marker last, as a pipeline should. */
  public void putVersion(S3Client client, String bucket, String prefix, long version, Path versionDirectory) {
    for (String file : files(versionDirectory)) {
      put(client, bucket, key(prefix, version, file), versionDirectory.resolve(file));
    }
    putMarker(client, bucket, prefix, version);
  }

  /** Writes version {@code version}'s completion marker, the object a pipeline writes last. */
  public void putMarker(S3Client client, String bucket, String prefix, long version) {
    client.putObject(b -> b.bucket(bucket).key(key(prefix, version, "_COMPLETE")), RequestBody.empty());
  }

  /** The key of {@code file} in version {@code version} under {@code prefix}. */
  public static String key(String prefix, long version, String file) {
    return (prefix.isEmpty() ? "" : prefix + "/") + version + "/" + file;
  }

  /** Stops the server (its objects stay): the store is unreachable until {@link #restart()}. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the server again on the same port over the same objects, and waits until it answers. */
  public void restart() {
    if (process != null) {
      return;
    }
    try {
      Path properties = directory.resolve("s3proxy.properties");
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint(),
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + directory.resolve("data")) + "\n");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString());
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(directory.resolve("s3proxy.log").toFile()).start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!answers()) {
        if (!process.isAlive()) {
          throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + directory.resolve("s3proxy.log"));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not listen on " + endpoint() + " within " + START_TIMEOUT);
        }
        Thread.sleep(100); // Polling interval of the readiness check.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while S3Proxy started", e);
    }
  }

  private boolean answers() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
    ModelDirectories.delete(directory);
  }
}
