package io.streamscore.model;

import io.streamscore.model.internals.SavedModelScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model and keeps it current, in the manner of TensorFlow Serving's manager: a
 * {@link VersionPolicy} picks the version from what is on disk, a new version is loaded and warmed
 * up on the manager's own thread, never on a stream thread, and is then swapped in atomically.
 *
 * <p>Every {@link #score} call holds a reference-counted lease on the version it started with, so
 * calls in flight finish on the old version; the old version's session is closed when its last
 * lease is released. TensorFlow requires exactly that: a session may be closed only after every
 * {@code run} on it has returned.
 *
 * <p>A version that fails to load or fails a real warm-up row (its warm-up file, the sources' sample
 * records), or whose inputs differ from the serving version's
 * (the sources' mappings were compiled against those), is refused: the serving version goes on,
 * the refusal is logged and kept in {@link #refusals()}. It is tried again only when its {@code
 * saved_model.pb} changes. Removing the newest version directory rolls back to the one before.
 *
 * <p>Before each poll the {@link VersionSource} brings the base path up to date: for a bucket, it
 * downloads the version the policy picks into a local cache, so everything above holds unchanged.
 *
 * <p>Thread-safe. {@link #close()} must come after the last {@code score} call has been made.
 */
public final class ModelManager implements Scorer {
  private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

  private final ModelOptions options;
  private final VersionSource source;
  private final WarmupReport initialWarmup;
  private final AtomicReference<ServedVersion> current;
  private final List<VersionRefusal> refusals = new CopyOnWriteArrayList<>();
  private final Map<Long, FileTime> refusedFiles = new HashMap<>();
  private final AtomicLong swaps = new AtomicLong();
  private final AtomicLong placeholderRejections = new AtomicLong();
  private final ScheduledExecutorService poller;

  /** One loaded version and its lease count; the manager's own reference counts as one lease. */
  private static final class ServedVersion {
    final SavedModelScorer scorer;
    final AtomicInteger leases = new AtomicInteger(1);

    ServedVersion(SavedModelScorer scorer) {
      this.scorer = scorer;
    }

    boolean tryAcquire() {
      while (true) {
        int n = leases.get();
        if (n == 0) {
          return false;
        }
        if (leases.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (leases.decrementAndGet() == 0) {
        scorer.close();
        log.info("Closed model {} version {}", scorer.model().name(), scorer.model().version());
      }
    }
  }

  private ModelManager(ModelOptions options, VersionSource source, SavedModelScorer initial) {
    this.options = options;
    this.source = source;
    this.initialWarmup = initial.warmupReport();
    countPlaceholderRejection(initial);
    this.current = new AtomicReference<>(new ServedVersion(initial));
    if (options.pollInterval().isZero()) {
      this.poller = null;
    } else {
      this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-version-poller");
        t.setDaemon(true);
        return t;
      });
      long millis = options.pollInterval().toMillis();
      poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Loads (and warms up) the version the policy picks, then starts polling for new ones.
   *
   * @throws ModelLoadException when no version fits or the chosen one cannot be served
   */
  public static ModelManager start(ModelOptions options) {
    return start(options, VersionSource.directory(options.basePath()));
  }

  /**
   * As {@link #start(ModelOptions)}, with versions kept current by {@code source}, whose base path
   * must be {@code options.basePath()}. The manager owns the source: it closes it on
   * {@link #close()}, and at once if start-up fails.
   */
  public static ModelManager start(ModelOptions options, VersionSource source) {
    if (!options.basePath().equals(source.basePath())) {
      source.close();
      throw new IllegalArgumentException("the options' base path " + options.basePath() + " is not the source's " + source.basePath());
    }
    try {
      return new ModelManager(options, source, SavedModelScorer.load(options));
    } catch (RuntimeException | Error e) {
      source.close();
      throw e;
    }
  }

  /** The state of the store the versions come from; empty for a local directory. */
  public Optional<VersionSource.Status> sourceStatus() {
    return source.status();
  }

  @Override
  public ModelDescription model() {
    return current.get().scorer.model();
  }

  /** Every signature of the serving version's SavedModel, one line each. */
  public List<String> signatureReport() {
    try (Lease lease = lease()) {
      return lease.version.scorer.signatureReport();
    }
  }

  /** Load and warm-up figures of the version served at start-up. */
  public WarmupReport initialWarmup() {
    return initialWarmup;
  }

  public List<VersionRefusal> refusals() {
    return List.copyOf(refusals);
  }

  /**
   * Number of versions loaded (at start-up or swapped in) whose warm-up ended because the model
   * rejected StreamScore's placeholder values; each was served all the same.
   */
  public long placeholderWarmupRejections() {
    return placeholderRejections.get();
  }

  private void countPlaceholderRejection(SavedModelScorer scorer) {
    if (scorer.warmupReport().placeholdersRejected().isPresent()) {
      placeholderRejections.incrementAndGet();
    }
  }

  /** Number of versions swapped in since start-up. */
  public long swaps() {
    return swaps.get();
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    try (Lease lease = lease()) {
      return lease.score(rows);
    }
  }

  /**
   * A lease on the serving version: while it is open, that version stays loaded even if another
   * is swapped in. Hold it for one call only: holding it delays the old version's release.
   */
  public Lease lease() {
    return new Lease(acquire());
  }

  /** A reference-counted handle on one loaded version. Not thread-safe; close it exactly once. */
  public static final class Lease implements AutoCloseable {
    private final ServedVersion version;
    private boolean closed;

    private Lease(ServedVersion version) {
      this.version = version;
    }

    public ModelDescription model() {
      return version.scorer.model();
    }

    public List<ScoredRow> score(List<FeatureRow> rows) {
      if (closed) {
        throw new IllegalStateException("lease on version " + model().version() + " is closed");
      }
      return version.scorer.score(rows);
    }

    /** Whether the leased version's session has been closed (only after every lease is released). */
    public boolean versionClosed() {
      return version.scorer.isClosed();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        version.release();
      }
    }
  }

  private ServedVersion acquire() {
    while (true) {
      ServedVersion version = current.get();
      if (version.tryAcquire()) {
        return version;
      }
      // Retired and closed between the read and the lease: the next read sees its successor.
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.warn("Looking for new versions of model {} in {} failed: {}", options.name(), source.describe(), e.getMessage());
    }
  }

  /**
   * Looks at the versions on disk once and swaps to the one the policy picks, if it differs from
   * the serving one and can be served. Called by the poller; callable directly (tests, admin).
   *
   * @return the version served after the poll
   */
  public synchronized long poll() {
    ServedVersion serving = current.get();
    long servingVersion = serving.scorer.model().version();
    source.refresh(servingVersion);
    List<ModelVersions.Version> available;
    try {
      available = ModelVersions.list(options.basePath());
    } catch (ModelLoadException e) {
      log.warn("Keeping version {}: {}", servingVersion, e.getMessage());
      return servingVersion;
    }
    Optional<ModelVersions.Version> wanted = options.versionPolicy().choose(available);
    if (wanted.isEmpty() || wanted.get().number() == servingVersion) {
      return servingVersion;
    }
    ModelVersions.Version candidate = wanted.get();
    FileTime modified = modified(candidate.directory());
    if (modified != null && modified.equals(refusedFiles.get(candidate.number()))) {
      return servingVersion;
    }
    SavedModelScorer loaded;
    try {
      loaded = SavedModelScorer.load(options, candidate);
    } catch (RuntimeException e) {
      refuse(candidate, modified, "it cannot be loaded or warmed up: " + e.getMessage());
      return servingVersion;
    }
    List<TensorSpec> servingInputs = serving.scorer.model().signature().inputs();
    List<TensorSpec> candidateInputs = loaded.model().signature().inputs();
    if (!servingInputs.equals(candidateInputs)) {
      loaded.close();
      refuse(candidate, modified, "its inputs " + candidateInputs + " differ from the serving version's " + servingInputs
          + ", against which the sources' mappings were checked; restart StreamScore to serve it");
      return servingVersion;
    }
    countPlaceholderRejection(loaded);
    current.set(new ServedVersion(loaded));
    swaps.incrementAndGet();
    serving.release();
    log.info("Model {}: now serving version {} (was {}); calls in flight finish on version {}", options.name(),
        candidate.number(), servingVersion, servingVersion);
    return candidate.number();
  }

  private void refuse(ModelVersions.Version version, FileTime modified, String reason) {
    refusedFiles.put(version.number(), modified);
    refusals.add(new VersionRefusal(version.number(), reason, Instant.now()));
    log.warn("Model {}: refused version {} ({}); version {} goes on serving", options.name(), version.number(), reason,
        current.get().scorer.model().version());
  }

  private static FileTime modified(Path versionDirectory) {
    try {
      return Files.getLastModifiedTime(versionDirectory.resolve("saved_model.pb"));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The served version's files may go with the source: TensorFlow read them when it loaded.
    source.close();
    current.get().release();
  }
}
