package io.streamscore.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's cache of one model's downloaded versions: a directory of its own under the
 * configured root, locked for the process's life and deleted when it ends. Its own, because several
 * StreamScore processes may share a root (a pod's containers, the tests, the benchmark), and one
 * must never delete another's versions. A directory under the root whose lock nobody holds is left
 * over from a process that died (an emptyDir outlives a container's restart) and is deleted.
 */
public final class ModelCacheDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelCacheDirectory.class);
  private static final String LOCK = ".lock";

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private ModelCacheDirectory(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates and locks a directory {@code <root>/<kind>-<random>}, after deleting the unlocked
   * directories of that kind left under the root.
   *
   * @throws UncheckedIOException naming the root when it cannot be written
   */
  public static ModelCacheDirectory create(Path root, String kind) {
    try {
      Files.createDirectories(root);
      deleteLeftovers(root, kind);
      Path directory = Files.createTempDirectory(root, kind + "-");
      FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new ModelCacheDirectory(directory, channel, channel.lock());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a model cache directory under " + root + ": " + e.getMessage(), e);
    }
  }

  private static void deleteLeftovers(Path root, String kind) throws IOException {
    List<Path> candidates;
    try (Stream<Path> children = Files.list(root)) {
      candidates = children.filter(p -> p.getFileName().toString().startsWith(kind + "-") && Files.isDirectory(p)).toList();
    }
    for (Path candidate : candidates) {
      Path lockFile = candidate.resolve(LOCK);
      boolean free;
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock held = channel.tryLock();
        free = held != null;
        if (held != null) {
          held.release();
        }
      } catch (OverlappingFileLockException e) {
        free = false; // Held by this very process: another model's cache.
      } catch (IOException e) {
        continue;
      }
      if (free) {
        log.info("Deleting {}, a model cache left by a process that ended", candidate);
        S3VersionMirror.deleteTree(candidate);
      }
    }
  }

  public Path path() {
    return directory;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      log.warn("Could not release the lock on {}: {}", directory, e.getMessage());
    }
    S3VersionMirror.deleteTree(directory);
  }
}
