package io.streamscore.model;

/** A model could not be found, loaded or warmed up, or its signature cannot be served. */
public class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
