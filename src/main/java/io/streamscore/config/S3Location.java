package io.streamscore.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model base path in a bucket, {@code s3://bucket/prefix}: the same layout as a local base
 * path, numbered version directories under the prefix. Immutable.
 *
 * @param bucket the bucket's name
 * @param prefix the key prefix the version directories sit under, without a trailing slash; empty
 *     for the bucket's root
 */
public record S3Location(String bucket, String prefix) {
  private static final Pattern URI = Pattern.compile("s3://([^/]+)(?:/(.*))?");
  // S3's own rule for bucket names (3-63 characters of lower-case letters, digits, dots and hyphens).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Location {
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("'" + bucket + "' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens)");
    }
    prefix = prefix.replaceAll("^/+|/+$", "");
  }

  /** Parses {@code s3://bucket/prefix}; the reason in the exception says what is wrong with it. */
  public static S3Location parse(String uri) {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + uri + "' is not of the form s3://bucket/prefix");
    }
    return new S3Location(m.group(1), m.group(2) == null ? "" : m.group(2));
  }

  /** The key prefix every version's objects start with: the prefix and a slash, or nothing at the root. */
  public String keyPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  /** Whether {@code value} is meant as a bucket location: it starts with {@code s3://}. */
  public static boolean isS3(String value) {
    return value.startsWith("s3://");
  }

  /** The model's name when none is configured: the prefix's last segment, or the bucket's name at its root. */
  public String defaultModelName() {
    return prefix.isEmpty() ? bucket : prefix.substring(prefix.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }
}
