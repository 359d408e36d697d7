package io.streamscore.model.store;

/**
 * One object of a stored model version, as a listing shows it. Two listings that show the same
 * objects with the same ETags and sizes show the same version. Immutable.
 *
 * @param path the object's path inside its version directory, e.g. {@code variables/variables.index}
 * @param size its size in bytes
 * @param eTag the store's entity tag, which changes when the object is written again
 */
public record StoredObject(String path, long size, String eTag) {}
