package io.streamscore.registry;

/**
 * The registry does not have what was asked for: an unknown schema id (Confluent error code
 * 40403) or subject (40401) or version (40402).
 */
public final class SchemaNotFoundException extends RegistryException {
  private final int errorCode;

  public SchemaNotFoundException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  /** Confluent's error code: 40401 subject, 40402 version, 40403 schema id not found. */
  public int errorCode() {
    return errorCode;
  }
}
