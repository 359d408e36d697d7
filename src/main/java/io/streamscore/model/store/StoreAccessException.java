package io.streamscore.model.store;

/**
 * The store could not be read at start-up, and why, in one line: the caller turns it into a
 * configuration error naming the key to fix. Never carries a secret: the SDK's messages name the
 * credentials' provider and the access key's existence, not the key.
 */
public final class StoreAccessException extends RuntimeException {

  /** What went wrong, which decides the key a message names. */
  public enum Reason {
    /** The store answered 403: the credentials are wrong, expired or lack a permission. */
    CREDENTIALS_REFUSED,
    /** The SDK's default chain found no credentials at all. */
    NO_CREDENTIALS,
    /** AWS S3 without a region: none configured, none in the environment or profile. */
    NO_REGION,
    /** The store answered that the bucket does not exist. */
    NO_SUCH_BUCKET,
    /** No answer: the endpoint is wrong or the store is down. */
    UNREACHABLE
  }

  private final Reason reason;

  public StoreAccessException(Reason reason, String message, Throwable cause) {
    super(message.replaceAll("\\s*\\R\\s*", " "), cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
