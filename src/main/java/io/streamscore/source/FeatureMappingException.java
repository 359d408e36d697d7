package io.streamscore.source;

/** A decoded record cannot feed the model (a required value is null, an array has the wrong length, ...). */
public class FeatureMappingException extends RuntimeException {
  public FeatureMappingException(String message) {
    super(message);
  }
}
