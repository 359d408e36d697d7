package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.support.LocalS3Server;
import io.streamscore.support.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The mirror against a real S3 server (S3Proxy): what it takes from a bucket, and what it never takes. */
class S3VersionMirrorIntegrationTest {
  private static final Path DEMO_VERSION = TestModels.demoModel().resolve("1");
  private static final List<String> FILES = List.of("variables/variables.data-00000-of-00001", "variables/variables.index", "saved_model.pb");
  private static LocalS3Server server;
  private static S3Client client;

  @BeforeAll
  static void startServer() {
    assertEquals(java.util.Optional.empty(), LocalS3Server.unavailableReason(), "the S3 server comes with `mvn package`");
    server = LocalS3Server.start();
    client = server.client();
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.close();
  }

  private static String bucket(String name) {
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  private static void upload(String bucket, String prefix, long version, String file) {
    server.put(client, bucket, prefix + version + "/" + file, DEMO_VERSION.resolve(file));
  }

  @Test
  void takesACompleteVersionOnceTwoListingsAgreeAndCachesItByteForByte(@TempDir Path cache) throws IOException {
    String bucket = bucket("complete");
    FILES.forEach(f -> upload(bucket, "fraud/", 1, f));
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://complete/fraud"), cache);

    S3VersionMirror.Sync first = mirror.sync();
    assertEquals(List.of(), first.cachedVersions(), "the first listing has nothing to compare with");
    S3VersionMirror.Sync second = mirror.sync();

    assertEquals(List.of(1L), second.downloadedNow());
    for (String file : FILES) {
      assertArrayEquals(Files.readAllBytes(DEMO_VERSION.resolve(file)), Files.readAllBytes(cache.resolve("1").resolve(file)), file);
    }
    assertEquals(List.of(), mirror.sync().downloadedNow(), "an unchanged version is not downloaded again");
    try (var entries = Files.list(cache)) {
      assertEquals(List.of("1"), entries.map(p -> p.getFileName().toString()).toList(), "no partial download left beside it");
    }
  }

  @Test
  void neverTakesAVersionWhoseUploadIsHalfDoneAndTakesItOnceWhenComplete(@TempDir Path cache) {
    String bucket = bucket("half");
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://half"), cache);
    // Uploaded object by object, graph last; a poll between every two.
    for (String file : FILES) {
      assertEquals(List.of(), mirror.sync().cachedVersions(), "before " + file);
      assertEquals(List.of(), mirror.sync().cachedVersions(), "before " + file + ", listed twice");
      upload(bucket, "", 4, file);
    }
    assertTrue(mirror.sync().waiting().get(4L).contains("changed since the last listing"), "the last object was just added");
    assertEquals(List.of(4L), mirror.sync().downloadedNow());
  }

  @Test
  void downloadsAVersionAgainOnlyWhenItsObjectsChange(@TempDir Path cache) throws IOException {
    String bucket = bucket("rewritten");
    FILES.forEach(f -> upload(bucket, "", 2, f));
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://rewritten"), cache);
    mirror.sync();
    assertEquals(List.of(2L), mirror.sync().downloadedNow());

    Path asset = cache.resolveSibling(cache.getFileName() + "-asset.txt");
    Files.writeString(asset, "a vocabulary", StandardCharsets.UTF_8);
    server.put(client, bucket, "2/assets/vocab.txt", asset);
    assertEquals(List.of(), mirror.sync().downloadedNow(), "changed since the last listing: waited out once");
    assertEquals(List.of(2L), mirror.sync().downloadedNow(), "then taken, once");
    assertEquals("a vocabulary", Files.readString(cache.resolve("2/assets/vocab.txt")));
    assertEquals(List.of(), mirror.sync().downloadedNow());
  }

  @Test
  void aStoreThatCannotBeReachedLeavesTheCacheAsItWas(@TempDir Path cache) {
    String bucket = bucket("outage");
    FILES.forEach(f -> upload(bucket, "", 1, f));
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://outage"), cache);
    mirror.sync();
    mirror.sync();
    server.stop();
    try {
      assertThrows(SdkException.class, mirror::sync);
      assertTrue(Files.isRegularFile(cache.resolve("1/saved_model.pb")), "the cached version stays");
    } finally {
      server.restart();
    }
    assertEquals(List.of(1L), mirror.sync().cachedVersions(), "polls again once the store is back");
  }

  @Test
  void wrongCredentialsAreRefusedByTheStore(@TempDir Path cache) {
    bucket("guarded");
    try (S3Client wrong = server.client(LocalS3Server.ACCESS_KEY, "not-the-secret")) {
      S3Exception e = assertThrows(S3Exception.class, () -> new S3VersionMirror(wrong, S3Location.parse("s3://guarded"), cache).sync());
      assertEquals(403, e.statusCode());
    }
  }
}
