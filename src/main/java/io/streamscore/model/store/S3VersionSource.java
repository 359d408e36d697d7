package io.streamscore.model.store;

import io.streamscore.config.ModelStoreSettings;
import io.streamscore.config.S3Location;
import io.streamscore.model.ModelLoadException;
import io.streamscore.model.VersionPolicy;
import io.streamscore.model.VersionSource;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A model base path in a bucket, mirrored into a cache directory of this process's own (see
 * {@link S3VersionMirror}): the {@link io.streamscore.model.ModelManager} serves from the cache as
 * from a local directory. Credentials come from the AWS SDK's default chain (environment, the
 * web-identity token EKS mounts, a profile, the container or instance), so no secret passes
 * through StreamScore's configuration, messages or logs.
 *
 * <p>A store that cannot be reached while a version is served changes nothing the reader sees: the
 * cache stays as it was, the attempt is retried with {@link StoreBackoff}, and {@link #status()}
 * reports it for the health body and the metrics. Only at start-up, when there is nothing to serve
 * yet, is an unreachable store an error.
 *
 * <p>Called on one thread at a time, as {@link VersionSource} says; {@link #status()} from any.
 */
public final class S3VersionSource implements VersionSource {
  private static final Logger log = LoggerFactory.getLogger(S3VersionSource.class);
  // One attempt's bounds; the SDK's standard retries (3 attempts) come on top.
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final S3Location location;
  private final VersionPolicy policy;
  private final S3Client client;
  private final DefaultCredentialsProvider credentials;
  private final ModelCacheDirectory cache;
  private final S3VersionMirror mirror;
  private final StoreBackoff backoff;
  private final Clock clock;
  private volatile Status status = new Status(true, Optional.empty(), 0, 0, 0, 0);
  private int failuresInARow;
  private Instant nextAttempt = Instant.MIN;
  private SortedMap<Long, String> lastWaiting = new TreeMap<>();

  private S3VersionSource(S3Location location, VersionPolicy policy, S3Client client, DefaultCredentialsProvider credentials,
                          ModelCacheDirectory cache, Duration pollInterval, Clock clock) {
    this.location = location;
    this.policy = policy;
    this.client = client;
    this.credentials = credentials;
    this.cache = cache;
    this.mirror = new S3VersionMirror(client, location, cache.path());
    this.backoff = new StoreBackoff(pollInterval.isZero() ? Duration.ofSeconds(1) : pollInterval);
    this.clock = clock;
  }

  /**
   * Connects to the store, takes a cache directory under the settings' root ({@code kind} names
   * it: {@code model} or {@code shadow}) and downloads the version the policy picks.
   *
   * @throws StoreAccessException when the store refuses the credentials, has no such bucket, finds
   *     no credentials or cannot be reached
   * @throws ModelLoadException when no complete version in the store fits the policy (as for an
   *     empty local directory)
   */
  public static S3VersionSource open(ModelStoreSettings settings, S3Location location, VersionPolicy policy, Duration pollInterval,
                                     String kind, Clock clock) {
    DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    S3Client client = null;
    ModelCacheDirectory cache = null;
    try {
      String where = settings.endpoint().map(Object::toString).orElse("AWS S3");
      try {
        credentials.resolveCredentials();
      } catch (SdkClientException e) {
        throw new StoreAccessException(StoreAccessException.Reason.NO_CREDENTIALS, "no AWS credentials found for " + location
            + " by the SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE;"
            + " AWS_PROFILE; a container or instance role)", e);
      }
      Region region = region(settings);
      client = client(settings, credentials, region);
      cache = ModelCacheDirectory.create(settings.cacheDirectory(), kind);
      S3VersionSource source = new S3VersionSource(location, policy, client, credentials, cache, pollInterval, clock);
      S3VersionMirror.Sync first;
      try {
        first = source.mirror.sync(policy, OptionalLong.empty());
      } catch (SdkException e) {
        throw accessFailure(e, location, where);
      }
      source.recordSuccess(first);
      if (first.cachedVersions().isEmpty()) {
        throw new ModelLoadException("no model version in " + location + " fits the policy (" + policy + "): expected numeric directories"
            + " (1/, 2/) each holding saved_model.pb, variables/ and a " + VersionCompleteness.MARKER + " marker written last"
            + (first.waiting().isEmpty() ? "" : "; not complete yet: " + describe(first.waiting())));
      }
      // Which link of the chain gave the credentials is not logged: the SDK reports it only as an
      // internal user-agent code.
      log.info("Model store {} at {} ({}region {}), credentials from the AWS SDK's default chain; version {} downloaded ({} bytes) into {}",
          location, where, settings.pathStyle() ? "path-style, " : "", region.id(), first.downloadedNow().orElse(-1), first.bytesDownloaded(),
          cache.path());
      return source;
    } catch (RuntimeException e) {
      if (cache != null) {
        cache.close();
      }
      if (client != null) {
        client.close();
      }
      credentials.close();
      throw e;
    }
  }

  private static StoreAccessException accessFailure(SdkException e, S3Location location, String where) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
      if (s3.statusCode() == 404 && "NoSuchBucket".equals(code)) {
        return new StoreAccessException(StoreAccessException.Reason.NO_SUCH_BUCKET, "bucket '" + location.bucket() + "' does not exist at "
            + where + "; create it, or correct the bucket's name", e);
      }
      if (s3.statusCode() == 403 || s3.statusCode() == 401) {
        return new StoreAccessException(StoreAccessException.Reason.CREDENTIALS_REFUSED, "the store at " + where
            + " refused the credentials (" + s3.statusCode() + " " + code + "); StreamScore takes them from the AWS"
            + " SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web-identity token, AWS_PROFILE), and they need"
            + " s3:ListBucket on the bucket and s3:GetObject under " + location, e);
      }
      return new StoreAccessException(StoreAccessException.Reason.UNREACHABLE, "the store at " + where + " answered " + s3.statusCode()
          + " " + code + " for " + location, e);
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new StoreAccessException(StoreAccessException.Reason.UNREACHABLE, "cannot reach the store at " + where + " ("
        + root.getClass().getSimpleName() + ": " + root.getMessage() + "); start-up needs the model", e);
  }

  private static Region region(ModelStoreSettings settings) {
    if (settings.region().isPresent()) {
      return Region.of(settings.region().get());
    }
    try {
      // Deliberately not the default chain's last link, the instance metadata service: off EC2 it
      // costs seconds of timeouts at every start.
      return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
    } catch (SdkClientException e) {
      if (settings.endpoint().isPresent()) {
        return Region.US_EAST_1; // S3-compatible stores sign with a region but do not check it.
      }
      throw new StoreAccessException(StoreAccessException.Reason.NO_REGION, "no region for AWS S3: set model.s3.region, or"
          + " AWS_REGION (EKS's pod identity webhook sets it)", e);
    }
  }

  private static S3Client client(ModelStoreSettings settings, DefaultCredentialsProvider credentials, Region region) {
    var builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(READ_TIMEOUT))
        .credentialsProvider(credentials)
        .region(region)
        .forcePathStyle(settings.pathStyle())
        // Reads need no checksums of the SDK's own; several S3-compatible stores refuse its CRC headers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    settings.endpoint().ifPresentOrElse(builder::endpointOverride, () -> builder.crossRegionAccessEnabled(true));
    return builder.build();
  }

  @Override
  public Path basePath() {
    return cache.path();
  }

  @Override
  public String describe() {
    return location.toString();
  }

  @Override
  public void refresh(long servingVersion) {
    Instant now = clock.instant();
    if (now.isBefore(nextAttempt)) {
      return;
    }
    S3VersionMirror.Sync sync;
    try {
      sync = mirror.sync(policy, OptionalLong.of(servingVersion));
    } catch (SdkException e) {
      recordFailure(e, servingVersion, now);
      return;
    } catch (UncheckedIOException e) {
      // The cache could not be written (a full emptyDir), or an object changed during its
      // download: the store is reachable, but downloading the whole version again at every poll
      // would only repeat the failure, so the next attempt waits as for an outage.
      failuresInARow++;
      nextAttempt = now.plus(backoff.delay(failuresInARow));
      log.warn("Model store {}: {}; trying again in {} ms", location, e.getMessage(), backoff.delay(failuresInARow).toMillis());
      return;
    }
    if (!status.reachable()) {
      log.info("Model store {} reachable again after {} s ({} attempts failed)", location,
          String.format("%.1f", Duration.between(status.unreachableSince().orElse(now), now).toMillis() / 1000.0), failuresInARow);
    }
    recordSuccess(sync);
  }

  private void recordSuccess(S3VersionMirror.Sync sync) {
    failuresInARow = 0;
    nextAttempt = Instant.MIN;
    Status before = status;
    if (!sync.waiting().equals(lastWaiting) && !sync.waiting().isEmpty()) {
      log.info("Model store {}: not complete yet, so not downloaded: {}", location, describe(sync.waiting()));
    }
    lastWaiting = sync.waiting();
    status = new Status(true, Optional.empty(), before.failedPolls(), before.versionsDownloaded() + (sync.downloadedNow().isPresent() ? 1 : 0),
        before.bytesDownloaded() + sync.bytesDownloaded(), sync.waiting().size());
  }

  private void recordFailure(SdkException e, long servingVersion, Instant now) {
    failuresInARow++;
    Duration wait = backoff.delay(failuresInARow);
    nextAttempt = now.plus(wait);
    Status before = status;
    Instant since = before.unreachableSince().orElse(now);
    if (before.reachable()) {
      log.warn("Model store {} unreachable ({}); version {} goes on serving; trying again with backoff up to {} s", location,
          firstLine(e), servingVersion, backoff.delay(Integer.MAX_VALUE).toSeconds());
    } else {
      log.debug("Model store {} still unreachable ({}); next attempt in {} ms", location, firstLine(e), wait.toMillis());
    }
    status = new Status(false, Optional.of(since), before.failedPolls() + 1, before.versionsDownloaded(), before.bytesDownloaded(),
        before.versionsWaiting());
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String describe(Map<Long, String> waiting) {
    return waiting.entrySet().stream().map(w -> w.getKey() + " (" + w.getValue() + ")").collect(Collectors.joining(", "));
  }

  @Override
  public Optional<Status> status() {
    return Optional.of(status);
  }

  @Override
  public void close() {
    client.close();
    credentials.close();
    cache.close();
  }
}
