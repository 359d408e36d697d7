package io.streamscore.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a local base path of numbered version directories current, in TensorFlow Serving's sense
 * of a source: the {@link ModelManager} lists, loads, warms up, refuses and swaps versions from
 * {@link #basePath()} alone, whether that is a directory of the user's or a cache a bucket is
 * mirrored into. A local directory is its own source.
 *
 * <p>Called on one thread at a time (the manager's poller).
 */
public interface VersionSource extends AutoCloseable {

  /** The directory of version directories the manager reads. */
  Path basePath();

  /** Where the versions come from, for messages: a directory or {@code s3://bucket/prefix}. */
  String describe();

  /**
   * Brings {@link #basePath()} up to date before the manager looks at it. Never throws for a store
   * that cannot be reached: the base path stays as it was, so the serving version goes on, and
   * {@link #status()} says so.
   *
   * @param servingVersion the version the manager serves now
   */
  void refresh(long servingVersion);

  /** How the store behind the base path is doing; empty for a local directory, which has no store. */
  Optional<Status> status();

  /** Releases the source's resources (a client, a cache directory). */
  @Override
  void close();

  /** A local directory: nothing to refresh, nothing to report. */
  static VersionSource directory(Path basePath) {
    return new VersionSource() {
      @Override
      public Path basePath() {
        return basePath;
      }

      @Override
      public String describe() {
        return basePath.toString();
      }

      @Override
      public void refresh(long servingVersion) {}

      @Override
      public Optional<Status> status() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A store's state as of the last poll. Immutable.
   *
   * @param reachable whether the last attempt to list the store succeeded
   * @param unreachableSince when the current run of failed attempts began; empty while reachable
   * @param failedPolls attempts that failed since start-up
   * @param versionsDownloaded versions downloaded since start-up, the first included
   * @param bytesDownloaded their bytes
   * @param versionsWaiting versions in the store not complete yet at the last listing
   */
  record Status(boolean reachable, Optional<Instant> unreachableSince, long failedPolls, long versionsDownloaded, long bytesDownloaded,
                int versionsWaiting) {}
}
