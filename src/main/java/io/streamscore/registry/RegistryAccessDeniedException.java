package io.streamscore.registry;

/** The registry refused the credentials (401) or the operation (403): a configuration error. */
public final class RegistryAccessDeniedException extends RegistryException {
  public RegistryAccessDeniedException(String message) {
    super(message);
  }
}
