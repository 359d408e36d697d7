package io.streamscore.registry;

/**
 * No registry URL gave an answer within the configured retries: network errors, timeouts, 408,
 * 429 or 5xx. The record that needed the schema is not bad: StreamScore never dead-letters it, but
 * lets its stream thread fail so the record is read again once the registry is back.
 */
public final class RegistryUnavailableException extends RegistryException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
