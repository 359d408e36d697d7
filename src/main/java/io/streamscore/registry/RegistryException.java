package io.streamscore.registry;

/**
 * A schema registry answered with an error that retrying will not cure (a 4xx other than 408 and
 * 429). The message names the registry URL (never credentials) and what the registry said.
 */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
