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
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import io.streamscore.config.S3Location;
import io.streamscore.model.VersionPolicy;
import java.io.InterruptedIOException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keeps a local cache directory in step with a model base path in a bucket: each poll lists the
 * bucket's version directories, and {@link SyncPlan} says which version to download (the one the
 * policy picks among those complete by {@link VersionCompleteness}) and which cached ones to
 * delete. The cache is then a local base path the model's usual version machinery (verify, load,
 * warm up, swap) reads. A version is downloaded beside the cache and moved in whole, so the cache
 * never holds half a version either; one whose objects are unchanged is never downloaded again.
 *
 * <p>Not thread-safe: one poller calls it.
 */
public final class S3VersionMirror {
  private static final Logger log = LoggerFactory.getLogger(S3VersionMirror.class);

  private final S3Client client;
  private final S3Location location;
  private final Path cache;
  /** Each cached version's objects as downloaded. */
  private final Map<Long, Map<String, StoredObject>> downloaded = new HashMap<>();
  private OptionalLong warnedChangedWhileServed = OptionalLong.empty();

  /**
   * One poll's outcome.
   *
   * @param cachedVersions the versions in the cache after the poll
   * @param waiting versions in the store not complete yet, with why
   * @param downloadedNow the version downloaded by this poll, if one was
   * @param bytesDownloaded its bytes
   */
  public record Sync(List<Long> cachedVersions, SortedMap<Long, String> waiting, OptionalLong downloadedNow, long bytesDownloaded) {}

  public S3VersionMirror(S3Client client, S3Location location, Path cacheDirectory) {
    this.client = client;
    this.location = location;
    this.cache = cacheDirectory;
  }

  /**
   * Lists the store, downloads the policy's choice if it is not cached as listed, and deletes the
   * cached versions that are neither that choice nor served.
   *
   * @param serving the version served now; empty before the first load
   * @throws SdkException when the store cannot be listed or read (the cache is left as it was)
   * @throws UncheckedIOException when the cache cannot be written
   */
  public Sync sync(VersionPolicy policy, OptionalLong serving) {
    Listing listing = list();
    SyncPlan plan = SyncPlan.of(policy, listing.versions(), downloaded, serving);
    if (plan.changedWhileServed().isPresent() && !plan.changedWhileServed().equals(warnedChangedWhileServed)) {
      log.warn("Model version {} changed in {} while it is served; it is not loaded again: publish a changed model under a new"
          + " version number", plan.changedWhileServed().getAsLong(), location);
    }
    warnedChangedWhileServed = plan.changedWhileServed();
    long bytes = 0;
    if (plan.download().isPresent()) {
      long version = plan.download().getAsLong();
      Map<String, StoredObject> objects = listing.versions().get(version);
      bytes = download(version, listing.directories().get(version), objects);
      downloaded.put(version, objects);
    }
    for (long version : plan.evict()) {
      deleteTree(cache.resolve(Long.toString(version)));
      downloaded.remove(version);
      log.info("Model version {} from {} deleted from the cache: no longer served", version, location);
    }
    return new Sync(downloaded.keySet().stream().sorted().toList(), plan.waiting(), plan.download(), bytes);
  }

  /**
   * One listing: each version's objects, and the key prefix of its directory as the store names it
   * ({@code 00000123/} is version 123, as TensorFlow Serving reads it).
   */
  private record Listing(Map<Long, Map<String, StoredObject>> versions, Map<Long, String> directories) {}

  private Listing list() {
    String keyPrefix = location.keyPrefix();
    Map<Long, Map<String, StoredObject>> versions = new HashMap<>();
    Map<Long, String> directories = new HashMap<>();
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
      directories.putIfAbsent(version, object.key().substring(0, keyPrefix.length() + slash + 1));
    }
    return new Listing(versions, directories);
  }

  /** Downloads version {@code version}'s objects from under {@code directory} into the cache; returns their bytes. */
  private long download(long version, String directory, Map<String, StoredObject> objects) {
    try {
      Files.createDirectories(cache);
      Path partial = Files.createTempDirectory(cache, ".download-" + version + "-");
      try {
        for (StoredObject object : objects.values()) {
          if (object.path().equals(VersionCompleteness.MARKER)) {
            continue; // The marker says the version is whole; TensorFlow has no use for it.
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("download of model version " + version + " stopped");
          }
          Path target = partial.resolve(object.path()).normalize();
          if (!target.startsWith(partial)) {
            throw new IOException("object path '" + object.path() + "' leaves its version directory");
          }
          Files.createDirectories(target.getParent());
          GetObjectResponse response = client.getObject(GetObjectRequest.builder().bucket(location.bucket())
              .key(directory + object.path()).build(), ResponseTransformer.toFile(target));
          // The object must be the one listed: an upload that rewrote it since is taken at a later poll.
          if (!unquoted(response.eTag()).equals(unquoted(object.eTag())) || Files.size(target) != object.size()) {
            throw new ObjectChangedException(directory + object.path());
          }
        }
        Path finalDirectory = cache.resolve(Long.toString(version));
        if (Files.exists(finalDirectory)) {
          // The store's objects changed under a version number already cached: the new ones win.
          Path old = Files.createTempDirectory(cache, ".replaced-" + version + "-");
          Files.move(finalDirectory, old.resolve("v"), StandardCopyOption.ATOMIC_MOVE);
          deleteTree(old);
        }
        Files.move(partial, finalDirectory, StandardCopyOption.ATOMIC_MOVE);
        long bytes = objects.values().stream().mapToLong(StoredObject::size).sum();
        log.info("Model version {} downloaded from {} ({} objects, {} bytes) into {}", version, location, objects.size(), bytes, finalDirectory);
        return bytes;
      } finally {
        deleteTree(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write model version " + version + " into " + cache + ": " + e.getMessage(), e);
    }
  }

  private static String unquoted(String eTag) {
    return eTag == null ? "" : eTag.replace("\"", "");
  }

  /** An object was rewritten between the listing and its download: the version is tried again at the next poll. */
  static final class ObjectChangedException extends IOException {
    ObjectChangedException(String key) {
      super("object " + key + " changed while it was downloaded");
    }
  }

  static void deleteTree(Path root) {
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
