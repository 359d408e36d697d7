package io.streamscore.model;

import java.nio.file.Path;

/**
 * What was loaded: which model, which version, from where, with which signature. Immutable.
 */
public record ModelDescription(String name, long version, Path directory, ModelSignature signature) {}
