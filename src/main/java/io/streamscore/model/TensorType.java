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
  DT_STRING
}
