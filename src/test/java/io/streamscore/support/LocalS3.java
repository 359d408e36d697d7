package io.streamscore.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server ({@link LocalS3Server}) for one test class, and its credentials handed to
 * StreamScore the way production hands them: through the AWS SDK's default chain, here its first
 * link, the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties. Never
 * skipped: the server comes with {@code mvn package}, so a missing one is a build fault.
 * <pre>{@code @RegisterExtension static final LocalS3 S3 = new LocalS3();}</pre>
 */
public final class LocalS3 implements BeforeAllCallback, AfterAllCallback {
  private LocalS3Server server;
  private S3Client client;

  @Override
  public void beforeAll(ExtensionContext context) {
    assertEquals(Optional.empty(), LocalS3Server.unavailableReason(), "the S3 server comes with `mvn package`");
    server = LocalS3Server.start();
    client = server.client();
    useCredentials(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The credentials the SDK's default chain finds in this JVM from now on. */
  public void useCredentials(String accessKey, String secretKey) {
    System.setProperty("aws.accessKeyId", accessKey);
    System.setProperty("aws.secretAccessKey", secretKey);
  }

  public LocalS3Server server() {
    return server;
  }

  public S3Client client() {
    return client;
  }

  public String createBucket(String name) {
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  /** Uploads {@code versionDirectory} as {@code s3://bucket/prefix/<version>/}, marker last. */
  public void putVersion(String bucket, String prefix, long version, Path versionDirectory) {
    server.putVersion(client, bucket, prefix, version, versionDirectory);
  }

  /** The settings that point StreamScore's model at {@code s3://bucket/prefix} on this server, caching under {@code cache}. */
  public Map<String, String> modelSettings(String bucket, String prefix, Path cache) {
    return Map.of("model.path", "s3://" + bucket + "/" + prefix, "model.s3.endpoint", server.endpoint().toString(),
        "model.s3.path.style", "true", "model.s3.region", "us-east-1", "model.cache.dir", cache.toAbsolutePath().toString());
  }
}
