package io.streamscore.source;

/**
 * A source's configured mapping cannot feed the model's signature. Raised at start-up, never per
 * record; the message names the source, the field, the model input and both types.
 */
public class MappingException extends RuntimeException {
  public MappingException(String message) {
    super(message);
  }
}
