package io.streamscore.topology;

/** A record arrived from a topic that no configured source owns (possible with overlapping patterns removed at runtime). */
public class UnknownSourceException extends RuntimeException {
  public UnknownSourceException(String message) {
    super(message);
  }
}
