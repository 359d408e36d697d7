package io.streamscore.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach the object store a model base path in a bucket lives in, and where its versions
 * are cached. Credentials are not here: they come from the AWS SDK's default chain, so a secret
 * never enters StreamScore's configuration, its messages or its logs. Immutable.
 *
 * @param endpoint an S3-compatible store's URL (MinIO, Ceph, a cloud's own); empty for AWS S3
 * @param pathStyle address buckets as {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
 * @param region the region to sign for; empty to take it from the SDK's environment and profile
 * @param cacheDirectory where downloaded versions are kept, each process in its own directory under it
 */
public record ModelStoreSettings(Optional<URI> endpoint, boolean pathStyle, Optional<String> region, Path cacheDirectory) {}
