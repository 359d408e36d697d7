package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.S3Location;
import io.streamscore.model.VersionPolicy;
import io.streamscore.support.LocalS3Server;
import io.streamscore.support.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The mirror against a real S3 server (S3Proxy): what it takes from a bucket, what it keeps, and what it never takes. */
class S3VersionMirrorIntegrationTest {
  private static final Path DEMO_VERSION = TestModels.demoModel().resolve("1");
  private static final List<String> FILES = LocalS3Server.files(DEMO_VERSION);
  private static final VersionPolicy LATEST = VersionPolicy.latest();
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

  private static List<String> cacheEntries(Path cache) throws IOException {
    try (var entries = Files.list(cache)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsACompleteVersionAtTheFirstListingByteForByteAndNeverAgainWhileUnchanged(@TempDir Path cache) throws IOException {
    String bucket = bucket("complete");
    server.putVersion(client, bucket, "fraud", 1, DEMO_VERSION);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://complete/fraud"), cache);

    assertEquals(OptionalLong.of(1), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());

    for (String file : FILES) {
      assertArrayEquals(Files.readAllBytes(DEMO_VERSION.resolve(file)), Files.readAllBytes(cache.resolve("1").resolve(file)), file);
    }
    assertFalse(Files.exists(cache.resolve("1/_COMPLETE")), "the marker is not part of the SavedModel");
    assertEquals(OptionalLong.empty(), mirror.sync(LATEST, OptionalLong.of(1)).downloadedNow(), "an unchanged version is not downloaded again");
    assertEquals(List.of("1"), cacheEntries(cache), "no partial download left beside it");
  }

  @Test
  void neverTakesAVersionBeforeItsMarkerAndTakesItOnceAfter(@TempDir Path cache) {
    String bucket = bucket("half");
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://half"), cache);
    for (String file : FILES) {
      server.put(client, bucket, LocalS3Server.key("", 4, file), DEMO_VERSION.resolve(file));
      S3VersionMirror.Sync sync = mirror.sync(LATEST, OptionalLong.empty());
      assertEquals(List.of(), sync.cachedVersions(), "after " + file);
      assertTrue(sync.waiting().get(4L).contains("no _COMPLETE marker"), sync.waiting().toString());
    }
    server.putMarker(client, bucket, "", 4);
    assertEquals(OptionalLong.of(4), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());
    assertEquals(OptionalLong.empty(), mirror.sync(LATEST, OptionalLong.of(4)).downloadedNow());
  }

  @Test
  void aMarkerWrittenBeforeAShardDoesNotLetTheVersionIn(@TempDir Path cache) {
    String bucket = bucket("early-marker");
    for (String file : FILES) {
      if (!file.startsWith("variables/variables.data")) {
        server.put(client, bucket, LocalS3Server.key("", 1, file), DEMO_VERSION.resolve(file));
      }
    }
    server.putMarker(client, bucket, "", 1);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://early-marker"), cache);

    S3VersionMirror.Sync sync = mirror.sync(LATEST, OptionalLong.empty());

    assertEquals(List.of(), sync.cachedVersions());
    assertTrue(sync.waiting().get(1L).contains("no variables.data shard"), sync.waiting().toString());
  }

  @Test
  void keepsOnlyTheServedVersionAndThePolicysChoiceAndFollowsARollback(@TempDir Path cache) throws IOException {
    String bucket = bucket("versions");
    server.putVersion(client, bucket, "", 1, DEMO_VERSION);
    server.putVersion(client, bucket, "", 2, DEMO_VERSION);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://versions"), cache);

    assertEquals(OptionalLong.of(2), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow(), "only the newest is downloaded");
    assertEquals(List.of("2"), cacheEntries(cache));
    assertEquals(OptionalLong.of(1), mirror.sync(VersionPolicy.specific(1), OptionalLong.of(2)).downloadedNow(), "specific(1)");
    assertEquals(List.of("1", "2"), cacheEntries(cache), "the served version stays beside the policy's choice");
    mirror.sync(VersionPolicy.specific(1), OptionalLong.of(1));
    assertEquals(List.of("1"), cacheEntries(cache), "once version 1 is served, version 2 goes");

    server.putVersion(client, bucket, "", 3, DEMO_VERSION);
    mirror.sync(LATEST, OptionalLong.of(1));
    mirror.sync(LATEST, OptionalLong.of(3));
    assertEquals(List.of("3"), cacheEntries(cache));
    // Rollback: the newest version is deleted from the bucket.
    for (String file : FILES) {
      client.deleteObject(b -> b.bucket(bucket).key(LocalS3Server.key("", 3, file)));
    }
    client.deleteObject(b -> b.bucket(bucket).key(LocalS3Server.key("", 3, "_COMPLETE")));
    assertEquals(OptionalLong.of(2), mirror.sync(LATEST, OptionalLong.of(3)).downloadedNow());
    assertEquals(List.of("2"), cacheEntries(cache), "a served version no longer in the store leaves the cache");
  }

  @Test
  void downloadsAChangedVersionAgainOnceWhenItIsNotTheServedOne(@TempDir Path cache) throws IOException {
    String bucket = bucket("rewritten");
    server.putVersion(client, bucket, "", 2, DEMO_VERSION);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://rewritten"), cache);
    assertEquals(OptionalLong.of(2), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());

    client.putObject(b -> b.bucket(bucket).key("2/assets/vocab.txt"), RequestBody.fromString("a vocabulary", StandardCharsets.UTF_8));
    assertEquals(OptionalLong.of(2), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow(), "not served: taken again");
    assertEquals("a vocabulary", Files.readString(cache.resolve("2/assets/vocab.txt")));
    assertEquals(OptionalLong.empty(), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());

    client.putObject(b -> b.bucket(bucket).key("2/assets/vocab.txt"), RequestBody.fromString("another", StandardCharsets.UTF_8));
    assertEquals(OptionalLong.empty(), mirror.sync(LATEST, OptionalLong.of(2)).downloadedNow(), "served: never reloaded in place");
  }

  @Test
  void readsAZeroPaddedVersionDirectoryAsTensorFlowServingDoes(@TempDir Path cache) throws IOException {
    String bucket = bucket("padded");
    for (String file : FILES) {
      server.put(client, bucket, "00000123/" + file, DEMO_VERSION.resolve(file));
    }
    client.putObject(b -> b.bucket(bucket).key("00000123/_COMPLETE"), RequestBody.empty());
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://padded"), cache);

    assertEquals(OptionalLong.of(123), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());
    assertArrayEquals(Files.readAllBytes(DEMO_VERSION.resolve("saved_model.pb")), Files.readAllBytes(cache.resolve("123/saved_model.pb")));
  }

  @Test
  void ignoresFolderPlaceholderKeys(@TempDir Path cache) {
    String bucket = bucket("folders");
    client.putObject(b -> b.bucket(bucket).key("1/"), RequestBody.empty());
    client.putObject(b -> b.bucket(bucket).key("1/variables/"), RequestBody.empty());
    server.putVersion(client, bucket, "", 1, DEMO_VERSION);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://folders"), cache);

    assertEquals(OptionalLong.of(1), mirror.sync(LATEST, OptionalLong.empty()).downloadedNow());
    assertTrue(Files.isRegularFile(cache.resolve("1/variables/variables.index")));
  }

  @Test
  void aStoreThatCannotBeReachedLeavesTheCacheAsItWas(@TempDir Path cache) {
    String bucket = bucket("outage");
    server.putVersion(client, bucket, "", 1, DEMO_VERSION);
    S3VersionMirror mirror = new S3VersionMirror(client, S3Location.parse("s3://outage"), cache);
    mirror.sync(LATEST, OptionalLong.empty());
    server.stop();
    try {
      assertThrows(SdkException.class, () -> mirror.sync(LATEST, OptionalLong.of(1)));
      assertTrue(Files.isRegularFile(cache.resolve("1/saved_model.pb")), "the cached version stays");
    } finally {
      server.restart();
    }
    assertEquals(List.of(1L), mirror.sync(LATEST, OptionalLong.of(1)).cachedVersions(), "polls again once the store is back");
  }

  @Test
  void wrongCredentialsAreRefusedByTheStore(@TempDir Path cache) {
    bucket("guarded");
    try (S3Client wrong = server.client(LocalS3Server.ACCESS_KEY, "not-the-secret")) {
      S3Exception e = assertThrows(S3Exception.class,
          () -> new S3VersionMirror(wrong, S3Location.parse("s3://guarded"), cache).sync(LATEST, OptionalLong.empty()));
      assertEquals(403, e.statusCode());
    }
  }
}
