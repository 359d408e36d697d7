package io.streamscore.source;

/** A record's bytes could not be read with its source's schema; the message says why, for a person. */
public class RecordDecodingException extends RuntimeException {
  public RecordDecodingException(String message, Throwable cause) {
    super(message, cause);
  }

  public RecordDecodingException(String message) {
    super(message);
  }
}
