package io.streamscore.model;

/**
 * The TensorFlow dtypes StreamScore feeds and fetches. Names match TensorFlow's {@code DT_*} names
 * so that error messages and the prediction record read the same as a SavedModel's signature.
 */
public enum TensorType {
  DT_FLOAT,
  DT_DOUBLE,
  DT_INT32,
  DT_INT64,
  DT_BOOL,
  DT_STRING;

  /** True for the types whose values are numbers (bool is not one of them). */
  public boolean isNumeric() {
    return this == DT_FLOAT || this == DT_DOUBLE || this == DT_INT32 || this == DT_INT64;
  }

  public boolean isIntegral() {
    return this == DT_INT32 || this == DT_INT64;
  }
}
