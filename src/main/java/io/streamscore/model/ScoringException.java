package io.streamscore.model;

/** The model could not score a call; the message says which model, version and why. */
public class ScoringException extends RuntimeException {
  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }

  public ScoringException(String message) {
    super(message);
  }
}
