package io.streamscore.model;

import java.time.Instant;

/** A version the manager would have served but refused, and why. Immutable. */
public record VersionRefusal(long version, String reason, Instant at) {}
