package io.streamscore.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keeps a local cache directory in step with a model base path in a bucket: each poll lists the
 * bucket's version directories and downloads every version that is complete and stable
 * ({@link VersionCompleteness}) and whose objects differ from what was downloaded before, so the
 * cache is a local base path the model's usual version machinery (verify, load, warm up, swap)
 * reads. A version is downloaded beside the cache and moved in whole, so the cache never holds
 * half a version either. A version whose objects are unchanged is never downloaded again.
 *
 * <p>Not thread-safe: one poller calls it.
 */
public final class S3VersionMirror {
  private static final Logger log = LoggerFactory.getLogger(S3VersionMirror.class);

  private final S3Client client;
  private final S3Location location;
  private final Path cache;
  /** Each version's objects at the last listing: what the next listing is compared with. */
  private Map<Long, Map<String, StoredObject>> lastListing = Map.of();
  /** Each cached version's objects as downloaded. */
  private final Map<Long, Map<String, StoredObject>> downloaded = new HashMap<>();

  /** One poll's outcome: the versions in the cache, and why each version left out was left out. */
  public record Sync(List<Long> cachedVersions, SortedMap<Long, String> waiting, List<Long> downloadedNow) {}

  public S3VersionMirror(S3Client client, S3Location location, Path cacheDirectory) {
    this.client = client;
    this.location = location;
    this.cache = cacheDirectory;
  }

  /**
   * Lists the store and downloads what became complete and stable since the last poll.
   *
   * @throws SdkException when the store cannot be listed or read (the cache is left as it was)
   */
  public Sync sync() {
    Map<Long, Map<String, StoredObject>> listing = list();
    SortedMap<Long, String> waiting = new TreeMap<>();
    List<Long> now = new java.util.ArrayList<>();
    for (Map.Entry<Long, Map<String, StoredObject>> version : new TreeMap<>(listing).entrySet()) {
      long v = version.getKey();
      Map<String, StoredObject> objects = version.getValue();
      if (objects.equals(downloaded.get(v))) {
        continue;
      }
      Optional<String> notReady = VersionCompleteness.notReady(lastListing.getOrDefault(v, Map.of()), objects);
      if (notReady.isPresent()) {
        waiting.put(v, notReady.get());
        continue;
      }
      download(v, objects);
      downloaded.put(v, objects);
      now.add(v);
    }
    lastListing = listing;
    return new Sync(cachedVersions(), waiting, List.copyOf(now));
  }

  private Map<Long, Map<String, StoredObject>> list() {
    String keyPrefix = location.keyPrefix();
    Map<Long, Map<String, StoredObject>> versions = new HashMap<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(keyPrefix).build();
    for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
      String rest = object.key().substring(keyPrefix.length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || rest.endsWith("/") || !rest.substring(0, slash).matches("\\d{1,18}")) {
        continue; // Not inside a numbered version directory, or a directory marker (some stores list them).
      }
      long version = Long.parseLong(rest.substring(0, slash));
      String path = rest.substring(slash + 1);
      versions.computeIfAbsent(version, k -> new TreeMap<>()).put(path, new StoredObject(path, object.size(), object.eTag()));
    }
    return versions;
  }

  private void download(long version, Map<String, StoredObject> objects) {
    try {
      Files.createDirectories(cache);
      Path partial = Files.createTempDirectory(cache, ".download-" + version + "-");
      try {
        for (StoredObject object : objects.values()) {
          Path target = partial.resolve(object.path()).normalize();
          if (!target.startsWith(partial)) {
            throw new IOException("object path '" + object.path() + "' leaves its version directory");
          }
          Files.createDirectories(target.getParent());
          client.getObject(GetObjectRequest.builder().bucket(location.bucket()).key(location.versionPrefix(version) + object.path())
              .ifMatch(object.eTag()).build(), target);
        }
        Path finalDirectory = cache.resolve(Long.toString(version));
        if (Files.exists(finalDirectory)) {
          // The store's objects changed under a version number already cached: the new ones win.
          Path old = Files.createTempDirectory(cache, ".replaced-" + version + "-");
          Files.move(finalDirectory, old.resolve("v"), StandardCopyOption.ATOMIC_MOVE);
          deleteTree(old);
        }
        Files.move(partial, finalDirectory, StandardCopyOption.ATOMIC_MOVE);
        log.info("Model version {} downloaded from {} ({} objects, {} bytes) into {}", version, location, objects.size(),
            objects.values().stream().mapToLong(StoredObject::size).sum(), finalDirectory);
      } finally {
        deleteTree(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write model version " + version + " into " + cache + ": " + e.getMessage(), e);
    }
  }

  private List<Long> cachedVersions() {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(cache)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,18}")).map(Long::parseLong).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", root, e.getMessage());
    }
  }
}
